"""Read the secrets of a secret-baker baked file in an AWS Lambda function.

    import secret_baker_reader

    password = secret_baker_reader.get("DB_PASSWORD")

The baked file, secret-baker-secrets.json in $LAMBDA_TASK_ROOT, holds KMS
ciphertexts only. A secret is decrypted with KMS Decrypt, the encryption
context {"PARAMETER_ARN": arn} and, when the file records one, the key as
KeyId (KMS then refuses a ciphertext under any other key), the first time its
name is asked for. The plaintext is kept for the life of the process, the
Lambda execution environment: one KMS call per secret per cold start. Threads
asking for the same name at once share one call; a failed call is not
remembered, so the next lookup tries again. decrypt_all() decrypts every
secret a few at a time, for a handler that would rather pay for KMS in its
initialization.

Plaintexts are decoded as strict UTF-8, the encoding SSM stores them in.
Nothing here prints or logs, and no error message holds a plaintext or a
ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Mapping, Protocol

import boto3

__all__ = [
    "DEFAULT_NAME",
    "DecryptAllError",
    "DecryptError",
    "Error",
    "MalformedFileError",
    "Secrets",
    "UnknownSecretError",
    "decrypt_all",
    "default_path",
    "get",
    "load",
    "parse",
]

DEFAULT_NAME = "secret-baker-secrets.json"
"""The file name of the baked file, deployed next to the function's code."""

ENCRYPTION_CONTEXT_KEY = "PARAMETER_ARN"
"""The KMS encryption context key SSM binds a SecureString to; its value is the parameter ARN."""

DECRYPT_CONCURRENCY = 8
"""How many KMS calls decrypt_all makes at once."""


class Error(Exception):
    """Base class of the errors this module raises."""


class MalformedFileError(Error, ValueError):
    """The baked file is not a valid baked file. The message gives positions, never content."""


class UnknownSecretError(Error, KeyError):
    """The baked file holds no secret of that name."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:  # KeyError's would be the repr of its argument
        return f"unknown secret {self.name!r}"


class DecryptError(Error):
    """KMS could not decrypt a secret, or its plaintext is not UTF-8 text.

    name is the secret's name and code the KMS error code
    ("IncorrectKeyException"...) when KMS answered with one; __cause__ is the
    underlying exception.
    """

    def __init__(self, name: str, reason: str, code: str | None = None) -> None:
        super().__init__(f"failed to decrypt secret {name!r}: {reason}")
        self.name = name
        self.code = code


class DecryptAllError(Error):
    """decrypt_all could not decrypt some secrets; errors maps their names, sorted, to the errors."""

    def __init__(self, errors: Mapping[str, Exception], total: int) -> None:
        self.errors = dict(errors)
        details = "; ".join(str(e) for e in self.errors.values())
        super().__init__(f"failed to decrypt {len(self.errors)} of {total} secrets: {details}")


class KMSClient(Protocol):
    """The part of a boto3 KMS client that Secrets uses."""

    def decrypt(self, **kwargs: Any) -> Mapping[str, Any]: ...


class _Secret:
    """One entry of a baked file and its cached plaintext."""

    __slots__ = ("name", "request", "lock", "plaintext", "inflight")

    def __init__(self, name: str, request: dict[str, Any]) -> None:
        self.name = name
        self.request = request  # the Decrypt parameters
        self.lock = threading.Lock()
        self.plaintext: str | None = None
        self.inflight: Future[str] | None = None  # the Decrypt call under way, if any

    def __repr__(self) -> str:
        return f"<secret {self.name!r}>"


class Secrets:
    """The secrets of a baked file, decrypted through a KMS client on first use.

    Safe for use from several threads. Use load() to read a file, or
    Secrets(parse(data), client).
    """

    def __init__(self, entries: Mapping[str, Mapping[str, Any]], client: KMSClient) -> None:
        self._client = client
        self._secrets = {name: _Secret(name, _decrypt_request(name, e)) for name, e in entries.items()}

    def __repr__(self) -> str:
        return f"<Secrets of {len(self._secrets)} names>"

    @property
    def names(self) -> list[str]:
        """The secret names of the file, sorted."""
        return sorted(self._secrets)

    def get(self, name: str) -> str:
        """Returns the plaintext of the secret name.

        Raises UnknownSecretError for a name the file does not hold and
        DecryptError when KMS fails or the plaintext is not UTF-8.
        """
        secret = self._secrets.get(name)
        if secret is None:
            raise UnknownSecretError(name)
        with secret.lock:
            if secret.plaintext is not None:
                return secret.plaintext
            call = secret.inflight
            if call is None:
                call = secret.inflight = Future()
                owner = True
            else:
                owner = False
        if not owner:
            return call.result()  # the owner's plaintext, or its exception
        try:
            plaintext = self._decrypt(secret)
        except BaseException as err:
            with secret.lock:
                secret.inflight = None
            call.set_exception(err)
            raise
        with secret.lock:
            secret.plaintext, secret.inflight = plaintext, None
        call.set_result(plaintext)
        return plaintext

    def decrypt_all(self) -> None:
        """Decrypts every secret not cached yet, DECRYPT_CONCURRENCY at a time.

        The secrets that decrypt stay cached; if any fails it raises
        DecryptAllError naming them all.
        """
        names = [name for name, s in sorted(self._secrets.items()) if s.plaintext is None]
        if not names:
            return
        with ThreadPoolExecutor(min(DECRYPT_CONCURRENCY, len(names)), "secret-baker") as pool:
            futures = {name: pool.submit(self.get, name) for name in names}
        errors = {name: err for name, f in futures.items() if (err := f.exception()) is not None}
        if errors:
            raise DecryptAllError(errors, len(self._secrets))

    def _decrypt(self, secret: _Secret) -> str:
        try:
            response = self._client.decrypt(**secret.request)
        except Exception as err:
            raise DecryptError(secret.name, str(err), _error_code(err)) from err
        try:
            return response["Plaintext"].decode("utf-8")
        except UnicodeDecodeError:
            # The codec's message would quote a byte of the plaintext.
            raise DecryptError(secret.name, "the plaintext is not UTF-8 text") from None


def _decrypt_request(name: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Returns the KMS Decrypt parameters of a parsed entry."""
    try:
        blob = base64.b64decode(entry["ciphertext"], validate=True)
    except (binascii.Error, ValueError):
        blob = b""
    if not blob:
        raise MalformedFileError(f"entry {name!r}: ciphertext is not base64")
    request: dict[str, Any] = {
        "CiphertextBlob": blob,
        "EncryptionContext": {ENCRYPTION_CONTEXT_KEY: entry["arn"]},
    }
    if entry.get("key"):
        request["KeyId"] = entry["key"]
    return request


def _error_code(err: Exception) -> str | None:
    response = getattr(err, "response", None)
    if isinstance(response, Mapping):
        code = response.get("Error", {}).get("Code")
        return code if isinstance(code, str) else None
    return None


def parse(data: bytes) -> dict[str, dict[str, Any]]:
    """Decodes a baked file, as the Go package baked does.

    It accepts files written by serverless-secret-baker (entries with only arn
    and ciphertext) and ignores unknown entry fields, but rejects duplicate
    names, entries without a string arn and ciphertext, and anything that is
    not a JSON object of objects, with a MalformedFileError.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise MalformedFileError(f"not UTF-8 at byte {err.start}") from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as err:  # its message gives the position, not the text
        raise MalformedFileError(f"invalid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    if not isinstance(document, dict):
        raise MalformedFileError("expected an object of secret names")
    for name, entry in document.items():
        if not isinstance(entry, dict):
            raise MalformedFileError(f"entry {name!r} is not an object")
        if not (isinstance(entry.get("arn"), str) and entry["arn"] and isinstance(entry.get("ciphertext"), str) and entry["ciphertext"]):
            raise MalformedFileError(f"entry {name!r} lacks arn or ciphertext")
        for field in ("parameter", "key"):
            if not isinstance(entry.get(field, ""), str):
                raise MalformedFileError(f"entry {name!r}: {field} is not a string")
        version = entry.get("version", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise MalformedFileError(f"entry {name!r}: version is not a whole number")
    return document


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise MalformedFileError(f"duplicate name {key!r}")
        obj[key] = value
    return obj


def default_path() -> str:
    """Where a Lambda function's baked file is deployed: DEFAULT_NAME in
    $LAMBDA_TASK_ROOT, or in the working directory when that is unset."""
    return os.path.join(os.environ.get("LAMBDA_TASK_ROOT", ""), DEFAULT_NAME)


def load(path: str | None = None, client: KMSClient | None = None) -> Secrets:
    """Reads and parses the baked file at path (default_path() by default)
    and returns its Secrets, decrypted through client (boto3.client("kms") by
    default). It makes no KMS call."""
    with open(path or default_path(), "rb") as f:
        data = f.read()
    return Secrets(parse(data), client or boto3.client("kms"))


_default: Secrets | None = None
_default_lock = threading.Lock()  # boto3's default session is not safe for concurrent client creation


def _default_secrets() -> Secrets:
    global _default
    with _default_lock:
        if _default is None:
            _default = load()
        return _default


def get(name: str) -> str:
    """Returns the plaintext of the secret name from the function's baked
    file, which the first call of get or decrypt_all loads."""
    return _default_secrets().get(name)


def decrypt_all() -> None:
    """Decrypts every secret of the function's baked file; see Secrets.decrypt_all."""
    _default_secrets().decrypt_all()


class _NoPlaintextBodies(logging.Filter):
    """Drops botocore's debug record of a response body that carries a KMS
    "Plaintext", which it would otherwise log, base64-encoded, when the
    function's log level is DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            return '"Plaintext"' not in record.getMessage()
        except Exception:  # a record that cannot be formatted is dropped, not printed with its arguments
            return False


logging.getLogger("botocore.parsers").addFilter(_NoPlaintextBodies())
