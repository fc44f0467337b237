"""Tests of secret_baker_reader against the AWS emulator.

Each test encrypts its values with KMS and the encryption context SSM binds a
SecureString to, which is what a baked file's ciphertexts are; the Go tests in
examples/ run the reader on files that the bake package made through SSM.
KMS Decrypt calls are counted on the client, once per HTTP request sent.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from pathlib import Path
from typing import Any, Callable

import secret_baker_reader as reader

from . import emulator

PACKAGE_ROOT = Path(__file__).resolve().parents[1]

# Plaintexts that must come back unchanged: text beyond ASCII, several lines,
# JSON, a leading byte order mark.
VALUES = {
    "SIGNING_KEY": "k3y-for-hmac",
    "DB_PASSWORD": "pässwörd-🔑",
    "TLS_KEY": "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBg\n-----END PRIVATE KEY-----\n",
    "CONFIG": '{"user":"app","password":"p\\"w"}',
    "BOM": "\ufeffstarts-with-a-bom",
}

emu: emulator.Emulator


def setUpModule() -> None:
    global emu
    emu = emulator.start()


def tearDownModule() -> None:
    emu.close()


class Calls:
    """Counts the KMS Decrypt requests a client sends and can hold the first one."""

    def __init__(self, client: Any, hold_first: bool = False) -> None:
        self.count = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.delay = 0.0  # seconds each request waits before it is sent
        self._hold_first = hold_first
        self._lock = threading.Lock()
        client.meta.events.register("before-send.kms.Decrypt", self._before_send)
        client.meta.events.register("needs-retry.kms.Decrypt", self._after_response)

    def _before_send(self, **_: Any) -> None:
        with self._lock:
            self.count += 1
            first = self.count == 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if first and self._hold_first:
            self.arrived.set()
            self.release.wait(30)
        if self.delay:
            time.sleep(self.delay)

    def _after_response(self, **_: Any) -> None:
        with self._lock:
            self.in_flight -= 1


class Fixture:
    """Values encrypted under a new customer managed key, as baked file entries."""

    def __init__(self, values: dict[str, str | bytes]) -> None:
        kms = emu.client("kms")
        key = kms.create_key()["KeyMetadata"]
        self.key_arn = key["Arn"]
        prefix = uuid.uuid4().hex
        self.entries: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            arn = f"arn:aws:ssm:{emulator.REGION}:{emulator.ACCOUNT}:parameter/{prefix}/{name}"
            plaintext = value if isinstance(value, bytes) else value.encode("utf-8")
            blob = kms.encrypt(
                KeyId=key["KeyId"], Plaintext=plaintext, EncryptionContext={"PARAMETER_ARN": arn}
            )["CiphertextBlob"]
            self.entries[name] = {
                "arn": arn,
                "ciphertext": base64.b64encode(blob).decode(),
                "parameter": f"/{prefix}/{name}",
                "version": 1,
                "key": self.key_arn,
            }

    def write(self, directory: str) -> str:
        path = os.path.join(directory, reader.DEFAULT_NAME)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.entries, f, indent=2, sort_keys=True, ensure_ascii=False)
        return path


def secrets(entries: dict[str, dict[str, Any]], **calls: Any) -> tuple[reader.Secrets, Calls]:
    client = emu.client("kms")
    counter = Calls(client, **calls)
    return reader.Secrets(entries, client), counter


def moved(entry: dict[str, Any]) -> dict[str, Any]:
    """Returns entry with another ARN than the one its ciphertext is bound to."""
    return {**entry, "arn": entry["arn"] + "-moved"}


class GetTest(unittest.TestCase):
    def test_decrypts_each_secret_once(self) -> None:
        fx = Fixture(VALUES)
        s, calls = secrets(fx.entries)
        for round_ in (1, 2):
            for name, want in VALUES.items():
                self.assertEqual(s.get(name), want, f"round {round_}: {name}")
            self.assertEqual(calls.count, len(VALUES), f"KMS Decrypt calls after round {round_}")

    def test_concurrent_first_lookups_share_one_call(self) -> None:
        fx = Fixture(VALUES)
        s, calls = secrets(fx.entries, hold_first=True)
        lookups = 16
        results: list[str | None] = [None] * lookups
        started = threading.Barrier(lookups + 1)

        def lookup(i: int) -> None:
            started.wait()
            results[i] = s.get("DB_PASSWORD")

        threads = [threading.Thread(target=lookup, args=(i,)) for i in range(lookups)]
        for t in threads:
            t.start()
        started.wait()
        self.assertTrue(calls.arrived.wait(30), "no Decrypt request arrived")
        time.sleep(0.1)  # lets the other lookups reach the held call
        calls.release.set()
        for t in threads:
            t.join()
        self.assertEqual(results, [VALUES["DB_PASSWORD"]] * lookups)
        self.assertEqual(calls.count, 1, "KMS Decrypt calls")

    def test_lookups_waiting_on_a_failed_call_share_its_error(self) -> None:
        fx = Fixture(VALUES)
        s, calls = secrets({"BROKEN": moved(fx.entries["CONFIG"])}, hold_first=True)
        errors: list[BaseException | None] = [None] * 4

        def lookup(i: int) -> None:
            try:
                s.get("BROKEN")
            except reader.DecryptError as err:
                errors[i] = err

        threads = [threading.Thread(target=lookup, args=(i,)) for i in range(len(errors))]
        threads[0].start()
        self.assertTrue(calls.arrived.wait(30), "no Decrypt request arrived")
        for t in threads[1:]:
            t.start()
        time.sleep(0.1)  # lets the other lookups reach the held call
        calls.release.set()
        for t in threads:
            t.join()
        for i, err in enumerate(errors):
            self.assertIsInstance(err, reader.DecryptError, f"lookup {i}")
        self.assertEqual(calls.count, 1, "KMS Decrypt calls")

    def test_failure_is_not_cached(self) -> None:
        fx = Fixture(VALUES)
        entry = moved(fx.entries["DB_PASSWORD"])
        s, calls = secrets({"DB_PASSWORD": entry})
        for attempt in (1, 2):
            with self.assertRaises(reader.DecryptError, msg=f"attempt {attempt}") as cm:
                s.get("DB_PASSWORD")
            err = cm.exception
            self.assertEqual(err.code, "InvalidCiphertextException")
            self.assertEqual(err.name, "DB_PASSWORD")
            self.assertIn("'DB_PASSWORD'", str(err))
            self.assertNotIn(entry["ciphertext"], str(err))
        self.assertEqual(calls.count, 2, "KMS Decrypt calls: a failure must not be cached")

    def test_recorded_key(self) -> None:
        fx = Fixture({"A": "value-a"})
        other_key = emu.client("kms").create_key()["KeyMetadata"]["Arn"]
        tests = [
            ("recorded key", fx.key_arn, None),
            ("no recorded key", "", None),
            ("another key recorded", other_key, "IncorrectKeyException"),
        ]
        for name, key, want_code in tests:
            with self.subTest(name):
                s, _ = secrets({"A": {**fx.entries["A"], "key": key}})
                if want_code is None:
                    self.assertEqual(s.get("A"), "value-a")
                    continue
                with self.assertRaises(reader.DecryptError) as cm:
                    s.get("A")
                self.assertEqual(cm.exception.code, want_code)

    def test_secrets_manager_entry(self) -> None:
        """An entry sealed with KMS Encrypt under the Secrets Manager context,
        written to a file and loaded, decrypts with that context and its key;
        the same ciphertext under another json-key's context does not."""
        kms = emu.client("kms")
        key = kms.create_key()["KeyMetadata"]
        arn = f"arn:aws:secretsmanager:{emulator.REGION}:{emulator.ACCOUNT}:secret:{uuid.uuid4().hex}/db-AbCdEf"
        version = str(uuid.uuid4())
        context = {"SecretARN": arn, "SecretVersionId": version, "json-key": "password"}
        blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=VALUES["DB_PASSWORD"].encode(), EncryptionContext=context)["CiphertextBlob"]
        entry = {
            "arn": arn,
            "ciphertext": base64.b64encode(blob).decode(),
            "context": context,
            "secret-id": arn,
            "version-id": version,
            "json-key": "password",
            "key": key["Arn"],
        }
        other = {**entry, "json-key": "user", "context": {**context, "json-key": "user"}}
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, reader.DEFAULT_NAME)
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"DB_PASSWORD": entry, "OTHER_FIELD": other}, f, indent=2)
            s = reader.load(path, emu.client("kms"))
        self.assertEqual(s.get("DB_PASSWORD"), VALUES["DB_PASSWORD"])
        with self.assertRaises(reader.DecryptError) as cm:
            s.get("OTHER_FIELD")
        self.assertEqual(cm.exception.code, "InvalidCiphertextException")

    def test_plaintext_that_is_not_utf8(self) -> None:
        value = b"caf\xe9-latin-1-\xff"
        fx = Fixture({"LATIN1": value})
        s, calls = secrets(fx.entries)
        for attempt in (1, 2):
            with self.assertRaises(reader.DecryptError, msg=f"attempt {attempt}") as cm:
                s.get("LATIN1")
            message = str(cm.exception)
            self.assertIn("not UTF-8", message)
            for form in (value.decode("latin-1"), repr(value)[2:-1], "\\xe9", "\\xff"):
                self.assertNotIn(form, message)
            self.assertIsNone(cm.exception.__cause__)
            self.assertIsNone(cm.exception.__context__, "the codec's error holds the plaintext in .object")
            assert_no_local_holds(self, raised(lambda: s.get("LATIN1")), value)
        self.assertEqual(calls.count, 4, "KMS Decrypt calls, 2 an attempt: a failure must not be cached")

    def test_unknown_secret(self) -> None:
        fx = Fixture({"A": "value-a"})
        s, calls = secrets(fx.entries)
        with self.assertRaises(reader.UnknownSecretError) as cm:
            s.get("NO_SUCH_SECRET")
        self.assertIsInstance(cm.exception, KeyError)
        self.assertEqual(str(cm.exception), "unknown secret 'NO_SUCH_SECRET'")
        self.assertEqual(calls.count, 0, "KMS Decrypt calls")

    def test_debug_logging_shows_no_plaintext(self) -> None:
        fx = Fixture({"A": "debug-logged-value-a"})
        log = io.StringIO()
        handler = logging.StreamHandler(log)
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            s, _ = secrets(fx.entries)
            self.assertEqual(s.get("A"), "debug-logged-value-a")
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        text = log.getvalue()
        self.assertIn("Decrypt", text, "botocore logged nothing: the check would be empty")
        for form in ("debug-logged-value-a", base64.b64encode(b"debug-logged-value-a").decode()[:20]):
            self.assertNotIn(form, text)


class DecryptAllTest(unittest.TestCase):
    def test_decrypts_every_secret_and_names_the_failures(self) -> None:
        fx = Fixture(VALUES)
        entries = {**fx.entries, "BROKEN": moved(fx.entries["CONFIG"])}
        s, calls = secrets(entries)
        with self.assertRaises(reader.DecryptAllError) as cm:
            s.decrypt_all()
        err = cm.exception
        self.assertEqual(list(err.errors), ["BROKEN"])
        self.assertEqual(err.errors["BROKEN"].code, "InvalidCiphertextException")
        self.assertIn("failed to decrypt 1 of 6 secrets", str(err))
        self.assertEqual(calls.count, len(entries), "KMS Decrypt calls of decrypt_all")
        for name, want in VALUES.items():
            self.assertEqual(s.get(name), want, name)
        self.assertEqual(calls.count, len(entries), "KMS Decrypt calls after decrypt_all")

    def test_bounds_its_concurrency(self) -> None:
        fx = Fixture({f"S{i:02d}": f"value-{i}" for i in range(20)})
        s, calls = secrets(fx.entries)
        calls.delay = 0.05  # so that the calls overlap
        s.decrypt_all()
        self.assertEqual(calls.count, 20, "KMS Decrypt calls")
        self.assertLessEqual(calls.max_in_flight, reader.DECRYPT_CONCURRENCY)
        self.assertGreater(calls.max_in_flight, 1, "decrypt_all made its calls one at a time")

    def test_skips_cached_secrets(self) -> None:
        fx = Fixture({"A": "value-a", "B": "value-b"})
        s, calls = secrets(fx.entries)
        s.get("A")
        s.decrypt_all()
        s.decrypt_all()
        self.assertEqual(calls.count, 2, "KMS Decrypt calls")


class ModuleTest(unittest.TestCase):
    """The module-level get and decrypt_all, in a fresh interpreter as in a Lambda function."""

    def run_python(self, code: str, env: dict[str, str], pythonpath: str = str(PACKAGE_ROOT)) -> str:
        env = {**env, "PYTHONPATH": pythonpath}
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for value in VALUES.values():
            self.assertNotIn(value, proc.stdout + proc.stderr)
        return proc.stdout

    def test_get_reads_the_file_in_lambda_task_root(self) -> None:
        fx = Fixture(VALUES)
        with tempfile.TemporaryDirectory() as task_root:
            fx.write(task_root)
            code = (
                "import hashlib, json, secret_baker_reader as r\n"
                "r.decrypt_all()\n"
                "digests = {n: hashlib.sha256(r.get(n).encode()).hexdigest() for n in sorted(%r)}\n"
                "try:\n"
                "    r.get('NO_SUCH_SECRET')\n"
                "except KeyError as e:\n"
                "    digests['unknown'] = type(e).__name__\n"
                "print(json.dumps(digests))\n" % list(VALUES)
            )
            got = json.loads(self.run_python(code, {**emu.env(), "LAMBDA_TASK_ROOT": task_root}))
        want = {n: hashlib.sha256(v.encode()).hexdigest() for n, v in VALUES.items()}
        want["unknown"] = "UnknownSecretError"
        self.assertEqual(got, want)

    def test_missing_file(self) -> None:
        with tempfile.TemporaryDirectory() as task_root:
            code = (
                "import secret_baker_reader as r\n"
                "try:\n"
                "    r.get('A')\n"
                "except FileNotFoundError:\n"
                "    print('missing')\n"
            )
            out = self.run_python(code, {**emu.env(), "LAMBDA_TASK_ROOT": task_root})
        self.assertEqual(out, "missing\n")

    def test_package_builds(self) -> None:
        """setuptools builds the package that pip install --target installs:
        the module and its py.typed marker, nothing else."""
        with tempfile.TemporaryDirectory() as source, tempfile.TemporaryDirectory() as build:
            # A copy, as setuptools writes its egg-info next to pyproject.toml.
            shutil.copytree(PACKAGE_ROOT, source, dirs_exist_ok=True, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.egg-info"))
            proc = subprocess.run(
                [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "--build-lib", build],
                cwd=source,
                capture_output=True,
                text=True,
                timeout=120,
            )
            self.assertEqual(proc.returncode, 0, proc.stderr)
            files = sorted(str(p.relative_to(build)) for p in Path(build).rglob("*") if p.is_file())
            self.assertEqual(files, ["secret_baker_reader/__init__.py", "secret_baker_reader/py.typed"])
            out = self.run_python("import secret_baker_reader as r; print(r.__file__)", os.environ.copy(), build)
            self.assertTrue(out.startswith(build), out)



# 200 secrets of 100 bytes, two-byte characters so that a chunk may end inside one: several chunks.
BUNDLE_VALUES = {f"SECRET_{i:03d}": f"{i:03d}" + "é" * 48 + "x" for i in range(200)}


def seal_bundle(fixture: Fixture, plaintext: bytes) -> dict[str, Any]:
    """The bundle of the fixture's entries with that plaintext, chunked and
    encrypted with KMS Encrypt as a bake seals one."""
    kms = emu.client("kms")
    secrets_list = reader.bundle_list(fixture.entries)
    digest = reader.bundle_digest(secrets_list)
    chunks = [plaintext[i : i + 4096] for i in range(0, len(plaintext), 4096)]
    return {
        "secrets": secrets_list,
        "digest": digest,
        "key": fixture.key_arn,
        "chunks": [
            base64.b64encode(
                kms.encrypt(KeyId=fixture.key_arn, Plaintext=c, EncryptionContext=reader.bundle_context(digest, i, len(chunks)))["CiphertextBlob"]
            ).decode()
            for i, c in enumerate(chunks, 1)
        ],
    }


class BundleTest(unittest.TestCase):
    fixture: Fixture
    bundle: dict[str, Any]

    @classmethod
    def setUpClass(cls) -> None:
        cls.fixture = Fixture(dict(BUNDLE_VALUES))
        cls.bundle = seal_bundle(cls.fixture, json.dumps(BUNDLE_VALUES).encode("utf-8"))

    def open(self, bundle: dict[str, Any]) -> tuple[reader.Secrets, Calls]:
        client = emu.client("kms")
        counter = Calls(client)
        return reader.Secrets(self.fixture.entries, client, bundle), counter

    def test_one_decrypt_per_chunk(self) -> None:
        chunks = len(self.bundle["chunks"])
        self.assertGreater(chunks, 1)
        for first in ("decrypt_all", "get"):
            with self.subTest(first):
                s, calls = self.open(self.bundle)
                if first == "decrypt_all":
                    s.decrypt_all()
                for name, value in BUNDLE_VALUES.items():
                    self.assertEqual(s.get(name), value)
                s.decrypt_all()
                self.assertEqual(calls.count, chunks)

    def test_load_reads_the_bundle(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, reader.DEFAULT_NAME)
            with open(path, "w", encoding="utf-8") as f:
                json.dump({reader.BUNDLE_KEY: self.bundle, **self.fixture.entries}, f)
            client = emu.client("kms")
            calls = Calls(client)
            s = reader.load(path, client)
            self.assertEqual(s.get("SECRET_007"), BUNDLE_VALUES["SECRET_007"])
            self.assertEqual(calls.count, len(self.bundle["chunks"]))

    def test_stale_refused(self) -> None:
        stale = json.loads(json.dumps(self.bundle))
        stale["secrets"][0]["version"] = "2"
        with self.assertRaises(reader.MalformedFileError) as cm:
            reader.Secrets(self.fixture.entries, emu.client("kms"), stale)
        self.assertEqual(cm.exception.kind, "bundle")

    def test_tampered_refused(self) -> None:
        swapped = dict(self.bundle, chunks=[self.bundle["chunks"][1], self.bundle["chunks"][0], *self.bundle["chunks"][2:]])
        lacking = seal_bundle(self.fixture, b'{"SECRET_000": "a"}')
        twice = seal_bundle(self.fixture, json.dumps(BUNDLE_VALUES).replace("{", '{"SECRET_000": "a", ', 1).encode())
        for name, bundle in {"swapped": swapped, "lacking": lacking, "twice": twice}.items():
            with self.subTest(name):
                s, calls = self.open(bundle)
                with self.assertRaises(reader.BundleError) as cm:
                    s.decrypt_all()
                with self.assertRaises(reader.BundleError):
                    s.get("SECRET_001")
                self.assertNotIn("ééé", str(cm.exception))
                # The plaintext JSON escapes é as \u00e9 (json.dumps's default).
                assert_no_local_holds(self, raised(s.decrypt_all), "ééé".encode(), "ééé", b"\\u00e9\\u00e9\\u00e9")
                self.assertEqual(calls.count, 3 * len(bundle["chunks"]), "a failed bundle is not cached: each of the 3 tries decrypts it")


def raised(call: Callable[[], Any]) -> BaseException:
    """The exception call raises, with its traceback, which assertRaises clears."""
    try:
        call()
    except BaseException as err:  # noqa: BLE001 (any error is the one to inspect)
        return err
    raise AssertionError("nothing raised")


def assert_no_local_holds(test: unittest.TestCase, err: BaseException, *markers: Any) -> None:
    """Fails test when a local variable of a frame of err's traceback, or of a traceback of an
    exception err chains to, holds one of markers (bytes or str), even inside a container: what
    an error reporter that records locals (Sentry's Python SDK, by default) would send."""

    def holds(value: Any, depth: int = 0) -> bool:
        if isinstance(value, (bytes, bytearray, str)):
            return any(type(m) is type(value) and m in value for m in markers if isinstance(m, (bytes, str)))
        if depth > 3:
            return False
        if isinstance(value, dict):
            return any(holds(v, depth + 1) for v in value.values())
        if isinstance(value, (list, tuple, set)):
            return any(holds(v, depth + 1) for v in value)
        return False

    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        tb = err.__traceback__
        while tb is not None:
            for name, value in tb.tb_frame.f_locals.items():
                test.assertFalse(holds(value), f"local {name!r} of {tb.tb_frame.f_code.co_name} holds the plaintext")
            tb = tb.tb_next
        err = err.__cause__ or err.__context__  # type: ignore[assignment]


if __name__ == "__main__":
    unittest.main()
