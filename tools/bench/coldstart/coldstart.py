"""The Python driver of bench's reader measurements (see main.go beside it):
python3 coldstart.py get NAME | python3 coldstart.py all, with the reader
package on PYTHONPATH."""

import json
import sys
import time

start = time.perf_counter()
import secret_baker_reader  # noqa: E402 (its import, boto3's included, is measured)

imported = time.perf_counter()
secrets = secret_baker_reader.load()
opened, cpu = time.perf_counter(), time.process_time()
if sys.argv[1] == "get":
    secrets.get(sys.argv[2])
else:
    secrets.decrypt_all()
done, cpu_done = time.perf_counter(), time.process_time()
print(json.dumps({
    "import_ms": (imported - start) * 1e3,
    "open_ms": (opened - imported) * 1e3,
    "op_ms": (done - opened) * 1e3,
    "op_cpu_ms": (cpu_done - cpu) * 1e3,  # every thread's user and system time
}))
