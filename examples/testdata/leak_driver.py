"""Leak test driver: python3 leak_driver.py

Logs everything at DEBUG to stderr, as a function with log level DEBUG
would, then reads the baked file in $LAMBDA_TASK_ROOT with
secret_baker_reader: decrypt_all, then get of every name. It prints "ok NAME"
or "error NAME" for each lookup and every form of every error (str, repr,
traceback) and of the reader objects, which the test searches for plaintexts.
"""

import logging
import sys
import traceback

import secret_baker_reader

logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)


def show(err):
    print(str(err), repr(err), "".join(traceback.format_exception(err)), sep="\n", file=sys.stderr)


try:
    secret_baker_reader.decrypt_all()
except secret_baker_reader.DecryptAllError as err:
    show(err)
secrets = secret_baker_reader.load()
for name in secrets.names:
    try:
        secret_baker_reader.get(name)
        print("ok", name)
    except secret_baker_reader.Error as err:
        print("error", name)
        show(err)
print(repr(secrets), repr(secret_baker_reader._default), vars(secret_baker_reader._default), file=sys.stderr)
