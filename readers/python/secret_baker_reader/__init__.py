"""Read the secrets of a secret-baker baked file in an AWS Lambda function.

    import secret_baker_reader

    password = secret_baker_reader.get("DB_PASSWORD")

The baked file, secret-baker-secrets.json in $LAMBDA_TASK_ROOT, holds KMS
ciphertexts only. A secret is decrypted with KMS Decrypt, the encryption
context its entry records (a Secrets Manager entry's context) or else
{"PARAMETER_ARN": arn}, and, when the file records one, the key as
KeyId (KMS then refuses a ciphertext under any other key), the first time its
name is asked for. The plaintext is kept for the life of the process, the
Lambda execution environment: one KMS call per secret per cold start. Threads
asking for the same name at once share one call; a failed call is not
remembered, so the next lookup tries again. decrypt_all() decrypts every
secret at once, for a handler that would rather pay for KMS in its
initialization.

Plaintexts are decoded as strict UTF-8, the encoding SSM stores them in.
Nothing here prints or logs, and no error message holds a plaintext or a
ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime
import hashlib
import json
import logging
import os
import re
import string
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Mapping, Protocol, cast

import boto3
from botocore.config import Config

__all__ = [
    "BUNDLE_KEY",
    "BundleError",
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
    "parse_file",
]

DEFAULT_NAME = "secret-baker-secrets.json"
"""The file name of the baked file, deployed next to the function's code."""

ENCRYPTION_CONTEXT_KEY = "PARAMETER_ARN"
"""The KMS encryption context key SSM binds a SecureString to; its value is the parameter ARN."""

DECRYPT_CONCURRENCY = 256
"""How many KMS calls decrypt_all makes at once, at most: every file of up to
that many secrets in one round trip (the Go and Node.js readers' bound too).
load() gives its KMS client as many pooled connections (boto3 keeps 10)."""


class Error(Exception):
    """Base class of the errors this module raises."""


class MalformedFileError(Error, ValueError):
    """The baked file is not a valid baked file.

    kind is the rule it breaks, named alike by the Go and Node.js readers
    ("syntax", "duplicate", "case"...: see the README's file format section).
    The message gives byte offsets or the secret name, never other content.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


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


class BundleError(Error):
    """KMS could not decrypt the file's bundle, or its plaintext is not the
    JSON object of exactly the secrets it lists to strings. code is the KMS
    error code when KMS answered with one; __cause__ the underlying exception."""

    def __init__(self, reason: str, code: str | None = None) -> None:
        super().__init__(f"failed to decrypt the bundle: {reason}")
        self.code = code


class DecryptAllError(Error):
    """decrypt_all could not decrypt some secrets; errors maps their names, sorted, to the errors."""

    def __init__(self, errors: Mapping[str, BaseException], total: int) -> None:
        self.errors = dict(errors)
        details = "; ".join(str(e) for e in self.errors.values())
        super().__init__(f"failed to decrypt {len(self.errors)} of {total} secrets: {details}")


class KMSClient(Protocol):
    """The part of a boto3 KMS client that Secrets uses."""

    def decrypt(self, **kwargs: Any) -> Mapping[str, Any]: ...


class _Secret:
    """A value decrypted once and cached: one entry's plaintext, or the bundle's values."""

    __slots__ = ("name", "request", "lock", "plaintext", "inflight")

    def __init__(self, name: str, request: Any) -> None:
        self.name = name
        self.request = request  # the Decrypt parameters: one call's, or each chunk's
        self.lock = threading.Lock()
        self.plaintext: Any = None
        self.inflight: Future[Any] | None = None  # the decryption under way, if any

    def __repr__(self) -> str:
        return f"<secret {self.name!r}>"

    def get(self, decrypt: Callable[[], Any]) -> Any:
        """Returns the cached value, or decrypt()'s, which threads asking at once share;
        a failure is not remembered."""
        with self.lock:
            if self.plaintext is not None:
                return self.plaintext
            call = self.inflight
            if call is None:
                call = self.inflight = Future()
                owner = True
            else:
                owner = False
        if not owner:
            return call.result()  # the owner's value, or its exception
        try:
            value = decrypt()
        except BaseException as err:
            with self.lock:
                self.inflight = None
            call.set_exception(err)
            raise
        with self.lock:
            self.plaintext, self.inflight = value, None
        call.set_result(value)
        return value


class Secrets:
    """The secrets of a baked file, decrypted through a KMS client on first use.

    With a bundle (what parse_file returns beside the entries), the first
    lookup or decrypt_all decrypts the bundle, one KMS call per chunk, all at
    once, and keeps every value; entries are then never decrypted one by one.
    Safe for use from several threads. Use load() to read a file, or
    Secrets(entries, client, bundle) with what parse_file(data) returns.
    """

    def __init__(self, entries: Mapping[str, Mapping[str, Any]], client: KMSClient, bundle: Mapping[str, Any] | None = None) -> None:
        self._client = client
        self._secrets = {name: _Secret(name, _decrypt_request(name, e)) for name, e in entries.items()}
        self._bundle = None if bundle is None else _Secret(BUNDLE_KEY, _bundle_requests(entries, bundle))

    def __repr__(self) -> str:
        return f"<Secrets of {len(self._secrets)} names>"

    @property
    def names(self) -> list[str]:
        """The secret names of the file, sorted."""
        return sorted(self._secrets)

    def get(self, name: str) -> str:
        """Returns the plaintext of the secret name.

        Raises UnknownSecretError for a name the file does not hold,
        DecryptError when KMS fails or the plaintext is not UTF-8, and
        BundleError when the file's bundle does not decrypt to its secrets.
        """
        secret = self._secrets.get(name)
        if secret is None:
            raise UnknownSecretError(name)
        value: str
        if self._bundle is not None:
            value = self._bundle.get(self._decrypt_bundle)[name]
        else:
            value = secret.get(lambda: self._decrypt(secret))
        return value

    def decrypt_all(self) -> None:
        """Decrypts every secret not cached yet, all at once up to DECRYPT_CONCURRENCY calls,
        or the bundle, one call per chunk.

        The secrets that decrypt stay cached; if any fails it raises
        DecryptAllError naming them all (BundleError for a bundle). Under Lambda
        SnapStart, call it after restore, never during initialization: the
        snapshot would hold the secrets.
        """
        if self._bundle is not None:
            self._bundle.get(self._decrypt_bundle)
            return
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
            blob: bytes = self._client.decrypt(**secret.request)["Plaintext"]
        except Exception as err:
            raise DecryptError(secret.name, str(err), _error_code(err)) from err
        plaintext = _utf8(blob)
        del blob
        if plaintext is None:
            # Raised outside any except block and with the bytes dropped, so that neither the
            # error's __context__ nor a frame of its traceback holds them.
            raise DecryptError(secret.name, "the plaintext is not UTF-8 text")
        return plaintext

    def _decrypt_bundle(self) -> dict[str, str]:
        """Decrypts every chunk of the bundle at once and returns the values they hold."""
        assert self._bundle is not None
        requests: list[dict[str, Any]] = self._bundle.request
        with ThreadPoolExecutor(len(requests), "secret-baker-bundle") as pool:
            futures = [pool.submit(self._client.decrypt, **r) for r in requests]
        failed = [(i, err) for i, f in enumerate(futures, 1) if (err := f.exception()) is not None]
        values = None if failed else _bundle_values(b"".join(f.result()["Plaintext"] for f in futures), self._secrets.keys())
        # The chunks' plaintexts live only in the futures' responses and the helper's frame, both
        # gone before anything is raised: no traceback frame of a BundleError holds them.
        del futures
        if failed:
            reasons = "; ".join(f"chunk {i} of {len(requests)}: {err}" for i, err in failed)
            raise BundleError(reasons, _error_code(failed[0][1])) from failed[0][1]
        if values is None:
            raise BundleError("its plaintext is not the JSON object of exactly its secrets to strings")
        return values


def _bundle_requests(entries: Mapping[str, Any], bundle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Returns the KMS Decrypt parameters of each chunk of a bundle, which it
    checks against the entries first."""
    _check_bundle(bundle, entries)
    n = len(bundle["chunks"])
    return [
        {"CiphertextBlob": _ciphertext_blob(c), "EncryptionContext": bundle_context(bundle["digest"], i, n), "KeyId": bundle["key"]}
        for i, c in enumerate(bundle["chunks"], 1)
    ]


def _utf8(plaintext: bytes) -> str | None:
    """The plaintext as text, or None when it is not UTF-8: the codec's error, which holds the
    bytes, never leaves this function."""
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _bundle_values(plaintext: bytes, names: Any) -> dict[str, str] | None:
    """The values of a bundle's plaintext if it is the JSON object of exactly names to strings."""
    try:
        values = json.loads(plaintext.decode("utf-8"), object_pairs_hook=_object, parse_constant=_constant)
    except (ValueError, MalformedFileError, RecursionError):  # never shown: they could quote a value
        return None
    if not isinstance(values, dict) or set(values) != set(names) or not all(isinstance(v, str) for v in values.values()):
        return None
    return values


def _decrypt_request(name: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Returns the KMS Decrypt parameters of a parsed entry."""
    blob = _ciphertext_blob(entry["ciphertext"])
    if blob is None:
        raise MalformedFileError("ciphertext", f"entry {name!r}: ciphertext is not canonical base64")
    context = entry.get("context")  # a Secrets Manager entry's, passed verbatim
    request: dict[str, Any] = {
        "CiphertextBlob": blob,
        "EncryptionContext": dict(context) if context is not None else {ENCRYPTION_CONTEXT_KEY: entry["arn"]},
    }
    if entry.get("key"):
        request["KeyId"] = entry["key"]
    return request


def _error_code(err: BaseException) -> str | None:
    response = getattr(err, "response", None)
    if isinstance(response, Mapping):
        code = response.get("Error", {}).get("Code")
        return code if isinstance(code, str) else None
    return None


_NAME_PATTERN = r"^[A-Za-z0-9_.\-/]{1,256}$"
"""The grammar of a secret name, as in the Go package baked and the spec."""

_MAX_VERSION = 2**53 - 1
_NAME = re.compile(_NAME_PATTERN)
_VERSION = re.compile(r"[1-9][0-9]{0,15}")
_MODIFIED = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITESPACE = " \t\n\r"
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class _Number:
    """A JSON number as written, which the parse hooks keep for the rules to judge."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def parse(data: bytes) -> dict[str, dict[str, Any]]:
    """parse_file without the bundle, which it checks all the same."""
    return parse_file(data)[0]


def parse_file(data: bytes) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """Decodes a baked file by the rules of the README's file format section,
    which the Go and Node.js readers apply alike.

    It returns the entries by secret name, each holding the fields the file
    gives (version as an int, modified as its text, context as a dict). It accepts files written
    by serverless-secret-baker (arn and ciphertext only) and raises
    MalformedFileError for anything else the rules refuse: unknown fields,
    duplicate keys or keys differing only in case, invalid names... Secrets
    refuses a ciphertext that is not canonical base64.

    It returns the bundle too, or None when the file has none: under
    BUNDLE_KEY, an object of exactly secrets, digest, key and chunks that
    holds exactly the file's entries (else MalformedFileError "bundle").
    """
    if data.startswith(codecs.BOM_UTF8):
        raise MalformedFileError("bom", "byte order mark at byte 0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise MalformedFileError("utf8", f"not UTF-8 at byte {err.start}") from None
    decoder = json.JSONDecoder(object_pairs_hook=_object, parse_int=_Number, parse_float=_Number, parse_constant=_constant)
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        document, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as err:  # its message would not quote the text, but its position is in characters
        raise MalformedFileError("syntax", f"invalid JSON at byte {_byte_offset(text, err.pos)}") from None
    except RecursionError:  # arrays or objects nested deeper than any field of the format
        raise MalformedFileError("type", "values nested where a string or a number belongs") from None
    _no_surrogate_in(document)  # a string or an array, which no object's hook saw
    if not isinstance(document, dict):
        raise MalformedFileError("type", "not an object of secret names")
    bundle = document.pop(BUNDLE_KEY, None) if BUNDLE_KEY in document else _NO_BUNDLE
    entries = {name: _entry(name, entry) for name, entry in document.items()}
    if bundle is not _NO_BUNDLE:
        _check_bundle(bundle, entries)
    rest = text[end:].lstrip(_WHITESPACE)
    if rest:
        raise MalformedFileError("trailing", f"unexpected data after the object at byte {_byte_offset(text, len(text) - len(rest))}")
    return entries, None if bundle is _NO_BUNDLE else cast(dict[str, Any], bundle)


_NO_BUNDLE = object()


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _constant(name: str) -> None:
    raise MalformedFileError("syntax", "NaN or Infinity, which JSON does not have")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Builds an object of the file, refusing unpaired surrogates in its
    strings and a key that equals one before it, exactly or but for ASCII case."""
    obj: dict[str, Any] = {}
    folded: dict[str, str] = {}
    for key, value in pairs:
        _no_surrogate(key)
        lower = key.translate(_ASCII_LOWER)
        before = folded.get(lower)
        if before == key:
            raise MalformedFileError("duplicate", f"duplicate key{_quoted(key)}")
        if before is not None:
            raise MalformedFileError("case", f"key{_quoted(key)} differs from key{_quoted(before)} only in case")
        folded[lower] = key
        _no_surrogate_in(value)
        obj[key] = value
    return obj


def _no_surrogate_in(value: Any) -> None:
    """Refuses an unpaired surrogate in value, a string, or in the strings of
    value, an array, at any depth: strings that no object's hook sees."""
    values = [value]
    while values:
        v = values.pop()
        if isinstance(v, str):
            _no_surrogate(v)
        elif isinstance(v, list):
            values.extend(v)


def _no_surrogate(s: str) -> None:
    if _SURROGATE.search(s):
        raise MalformedFileError("surrogate", "unpaired surrogate escape")


def _quoted(key: str) -> str:
    """key quoted after a space when it is a valid name, which a message may show, else ""."""
    return f' "{key}"' if _NAME.fullmatch(key) else ""


def _entry(name: str, entry: Any) -> dict[str, Any]:
    if not _NAME.fullmatch(name):
        raise MalformedFileError("name", f"secret name not matching {_NAME_PATTERN}")
    if not isinstance(entry, dict):
        raise MalformedFileError("type", f"entry {name!r} is not an object")
    fields: dict[str, Any] = {}
    for field, value in entry.items():
        rule = _FIELDS.get(field)
        if rule is None:
            raise MalformedFileError("unknown", f"entry {name!r}: unknown field")
        typ, kind, want, check = rule
        if not isinstance(value, typ):
            raise MalformedFileError("type", f"entry {name!r}: {field} is not {_TYPE_NAMES[typ]}")
        value = cast(Any, value)  # of type typ: a str, a dict or a _Number
        if value == "":
            raise MalformedFileError("empty", f"entry {name!r}: {field} is empty")
        for member in value.values() if typ is dict else ():
            if not isinstance(member, str):
                raise MalformedFileError("type", f"entry {name!r}: a value of {field} is not a string")
            if member == "":
                raise MalformedFileError("empty", f"entry {name!r}: a value of {field} is empty")
        if not check(value):
            raise MalformedFileError(kind, f"entry {name!r}: {field} is not {want}")
        fields[field] = int(value.text) if typ is _Number else value
    _check_kind(name, fields)
    return fields


_SSM_ONLY = ("parameter", "version")
_SECRETS_MANAGER_ONLY = ("secret-id", "version-id", "json-key")


def _check_kind(name: str, fields: Mapping[str, Any]) -> None:
    """Raises the error of an entry whose fields make neither an SSM nor a
    Secrets Manager entry, or whose context is not the one the bake seals its
    secret with, in the order the Go and Node.js readers check them."""
    sm = "context" in fields
    if "arn" not in fields or "ciphertext" not in fields:
        raise MalformedFileError("missing", f"entry {name!r} lacks arn or ciphertext")
    if not sm and any(f in fields for f in _SECRETS_MANAGER_ONLY):
        raise MalformedFileError("mixed", f"entry {name!r}: secret-id, version-id and json-key belong to a Secrets Manager entry, which has a context")
    if sm and any(f in fields for f in _SSM_ONLY):
        raise MalformedFileError("mixed", f"entry {name!r}: parameter and version belong to an SSM entry, which has no context")
    if sm and ("secret-id" not in fields or "version-id" not in fields):
        raise MalformedFileError("missing", f"entry {name!r} has a context but lacks secret-id or version-id")
    if sm and fields["context"] != _sealed_context(fields["arn"], fields["version-id"], fields.get("json-key")):
        raise MalformedFileError("context", f"entry {name!r}: context is not the sealed context: SecretARN equal to arn, SecretVersionId to version-id, json-key to json-key if the entry has one, and no other key")


def _sealed_context(secret_arn: str, version_id: str, json_key: str | None) -> dict[str, str]:
    """The encryption context a bake seals a Secrets Manager secret's value with."""
    context = {"SecretARN": secret_arn, "SecretVersionId": version_id}
    if json_key:
        context["json-key"] = json_key
    return context


def _ciphertext_blob(text: str) -> bytes | None:
    """Returns the KMS ciphertext blob text encodes, if text is its canonical
    standard base64 (padded, nothing ignored) and the blob is not empty."""
    try:
        blob = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return blob if blob and base64.b64encode(blob).decode("ascii") == text else None


def _valid_version(n: _Number) -> bool:
    return _VERSION.fullmatch(n.text) is not None and int(n.text) <= _MAX_VERSION


def _valid_modified(text: str) -> bool:
    m = _MODIFIED.fullmatch(text)
    try:
        if m is None:
            return False
        year, month, day, hour, minute, second = (int(g) for g in m.groups())
        return datetime.datetime(year, month, day, hour, minute, second).year >= 1970
    except ValueError:  # no such day or time
        return False


# The fields of an entry, and no others: the type of the value (a string
# is not empty, an object holds non-empty strings), and the error kind,
# description and check of the values with a rule of their own.
_FIELDS: dict[str, tuple[type, str, str, Callable[[Any], bool]]] = {
    "arn": (str, "", "", lambda _: True),
    "ciphertext": (str, "", "", lambda _: True),  # decoded by Secrets
    "parameter": (str, "", "", lambda _: True),
    "key": (str, "", "", lambda _: True),
    "secret-id": (str, "", "", lambda _: True),
    "version-id": (str, "", "", lambda _: True),
    "json-key": (str, "", "", lambda _: True),
    "context": (dict, "", "", lambda _: True),  # checked against the other fields by _check_kind
    "version": (_Number, "version", "a whole number from 1 to 2^53-1", _valid_version),
    "modified": (str, "modified", "a UTC time YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999", _valid_modified),
}


_TYPE_NAMES = {str: "a string", _Number: "a number", dict: "an object"}


BUNDLE_KEY = "$bundle"
"""The top-level key of a baked file's bundle, outside the secret-name grammar."""

_BUNDLE_FIELDS = {"secrets", "digest", "key", "chunks"}
_BUNDLE_SECRET_FIELDS = {"name", "arn", "version"}
_MAX_BUNDLE_CHUNKS = 64
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def _check_bundle(bundle: Any, entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Raises the MalformedFileError "bundle" of a bundle that breaks a rule of
    the README's bundle section for the entries, in no particular order (the
    Go and Node.js readers name the same kind); it quotes nothing."""

    def refuse(reason: str) -> None:
        raise MalformedFileError("bundle", f"{BUNDLE_KEY}: {reason}")

    if not isinstance(bundle, dict) or set(bundle) != _BUNDLE_FIELDS:
        refuse("not an object of exactly secrets, digest, key and chunks")
    secrets, chunks = bundle["secrets"], bundle["chunks"]
    if not isinstance(secrets, list) or not secrets:
        refuse("secrets is not a non-empty array")
    for i, s in enumerate(secrets):
        if not isinstance(s, dict) or set(s) != _BUNDLE_SECRET_FIELDS or not all(isinstance(v, str) for v in s.values()):
            refuse(f"secret {i + 1} is not an object of exactly name, arn and version, strings")
        if not _NAME.fullmatch(s["name"]) or not s["arn"] or not s["version"]:
            refuse(f"secret {i + 1} has an invalid name or an empty arn or version")
        if i > 0 and s["name"] <= secrets[i - 1]["name"]:
            refuse("secrets are not sorted by name, each once")
    if secrets != bundle_list(entries):
        refuse("secrets are not the file's entries, with their arn and version")
    digest = bundle["digest"]
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest) or digest != bundle_digest(secrets):
        refuse("digest is not the digest of secrets")
    if not isinstance(chunks, list) or not 1 <= len(chunks) <= _MAX_BUNDLE_CHUNKS:
        refuse(f"chunks is not an array of 1 to {_MAX_BUNDLE_CHUNKS} chunks")
    if not all(isinstance(c, str) and _ciphertext_blob(c) is not None for c in chunks):
        refuse("a chunk is not canonical base64")
    if not isinstance(bundle["key"], str) or not bundle["key"]:
        refuse("key is not a non-empty string")


def bundle_list(entries: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """The list of the entries a bundle records, sorted by name: name, arn, and
    the version-id of a Secrets Manager entry or the version in decimal."""
    def version(e: Mapping[str, Any]) -> str:
        return e.get("version-id", "") if "context" in e else str(e.get("version", ""))

    return [{"name": n, "arn": entries[n]["arn"], "version": version(entries[n])} for n in sorted(entries)]


def bundle_digest(secrets: list[dict[str, str]]) -> str:
    """sha256: and the hex SHA-256 of name, arn and version, each followed by a newline, of each item."""
    text = "".join(f"{s['name']}\n{s['arn']}\n{s['version']}\n" for s in secrets)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def bundle_context(digest: str, i: int, n: int) -> dict[str, str]:
    """The encryption context of chunk i (from 1) of n of the bundle of digest."""
    return {"secret-baker:bundle": digest, "secret-baker:chunk": f"{i}/{n}"}


def default_path() -> str:
    """Where a Lambda function's baked file is deployed: DEFAULT_NAME in
    $LAMBDA_TASK_ROOT, or in the working directory when that is unset."""
    return os.path.join(os.environ.get("LAMBDA_TASK_ROOT", ""), DEFAULT_NAME)


def load(path: str | None = None, client: KMSClient | None = None) -> Secrets:
    """Reads and parses the baked file at path (default_path() by default)
    and returns its Secrets, decrypted through client (boto3.client("kms") by
    default, keeping DECRYPT_CONCURRENCY connections). It makes no KMS call."""
    with open(path or default_path(), "rb") as f:
        data = f.read()
    entries, bundle = parse_file(data)
    if client is None:
        client = cast(KMSClient, boto3.client("kms", config=Config(max_pool_connections=DECRYPT_CONCURRENCY)))
    return Secrets(entries, client, bundle)


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
