"""Differential test driver (baked/differential_test.go): python3 reader.py,
with the reader package on PYTHONPATH.

Reads inputs on stdin, each one line of base64, and reads each as a Lambda
function does: parse_file, then Secrets, which decodes the ciphertexts. It
prints one JSON line per input: {"ok": FILE}, FILE being the entries and the
bundle under BUNDLE_KEY as the corpus's .want.json files hold them, or
{"error": KIND}, the MalformedFileError's kind, or {"crash": TYPE}, the name
of any other exception's type. It never prints a message, which could quote
the input. It exits with code 3 when boto3, which the reader imports, is
missing.
"""

import base64
import json
import sys

try:
    import secret_baker_reader as reader
except ModuleNotFoundError as err:
    if err.name != "boto3":
        raise
    print("boto3 is not importable", file=sys.stderr)
    sys.exit(3)


def read(data: bytes) -> object:
    entries, bundle = reader.parse_file(data)
    reader.Secrets(entries, None, bundle)
    return entries if bundle is None else {reader.BUNDLE_KEY: bundle, **entries}


for line in sys.stdin.buffer:
    try:
        result = {"ok": read(base64.b64decode(line.strip(), validate=True))}
    except reader.MalformedFileError as err:
        result = {"error": err.kind}
    except Exception as err:
        result = {"crash": type(err).__name__}
    sys.stdout.write(json.dumps(result) + "\n")
