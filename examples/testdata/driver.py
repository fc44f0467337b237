"""Test driver: python3 driver.py HANDLER_FILE FUNCTION NAME...

Loads HANDLER_FILE, looks every NAME up with FUNCTION (an attribute path from
the module, such as secret_baker_reader.get) in two rounds, then an unknown
name, then calls the module's handler if it has one. Prints a JSON report
holding the SHA-256 of each plaintext, never a plaintext.
"""

import functools
import hashlib
import importlib.util
import json
import sys

path, function, names = sys.argv[1], sys.argv[2], sys.argv[3:]
spec = importlib.util.spec_from_file_location("handler_under_test", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
get = functools.reduce(getattr, function.split("."), module)


def digest(value):
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


report = {"rounds": [{name: digest(get(name)) for name in names} for _ in range(2)]}
try:
    get("NO_SUCH_SECRET")
except Exception as e:  # the type is what the test checks
    report["unknown"] = type(e).__name__
if hasattr(module, "handler"):
    report["signature"] = module.handler({"message": "hello"}, None)["signature"]
print(json.dumps(report))
