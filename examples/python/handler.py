"""A Lambda function handler that reads its secrets from the baked file
deployed next to it, secret-baker-secrets.json.

get_secret(name) decrypts one entry with KMS the first time it is asked for
and keeps the plaintext for the life of the execution environment, so each
secret costs one KMS call per cold start. Plaintexts are decoded as UTF-8, the
encoding SSM stores them in. A failed call is not remembered.
"""

import base64
import hashlib
import hmac
import json
import os
import threading

import boto3

BAKED_FILE = os.path.join(os.environ.get("LAMBDA_TASK_ROOT", ""), "secret-baker-secrets.json")

with open(BAKED_FILE, encoding="utf-8") as f:
    _entries = json.load(f)
_kms = boto3.client("kms")
_plaintexts = {}
_lock = threading.Lock()  # one KMS call per secret even if threads race


class UnknownSecretError(KeyError):
    """The baked file holds no secret of that name."""


def get_secret(name):
    """Returns the plaintext of the secret name as a str."""
    with _lock:
        if name not in _plaintexts:
            _plaintexts[name] = _decrypt(name)
        return _plaintexts[name]


def _decrypt(name):
    entry = _entries.get(name)
    if entry is None:
        raise UnknownSecretError(name)
    request = {
        "CiphertextBlob": base64.b64decode(entry["ciphertext"]),
        "EncryptionContext": {"PARAMETER_ARN": entry["arn"]},
    }
    if entry.get("key"):
        request["KeyId"] = entry["key"]  # the key verification saw: KMS refuses any other
    response = _kms.decrypt(**request)
    try:
        return response["Plaintext"].decode("utf-8")
    except UnicodeDecodeError:
        # The codec's message would quote a byte of the plaintext.
        raise ValueError(f"secret {name!r} is not UTF-8 text") from None


def handler(event, context):
    """Signs event["message"] with the SIGNING_KEY secret."""
    key = get_secret("SIGNING_KEY").encode("utf-8")
    signature = hmac.new(key, event["message"].encode("utf-8"), hashlib.sha256).hexdigest()
    return {"signature": signature}
