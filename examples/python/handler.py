"""A Lambda function handler that signs messages with a secret from the baked
file deployed next to it, secret-baker-secrets.json.

Deploy it with the secret_baker_reader package (readers/python) vendored
beside it: pip install --no-deps --target package/ ./readers/python.
secret_baker_reader.get decrypts a secret with KMS the first time it is asked
for and keeps it for the life of the execution environment; to pay for every
KMS call during initialization instead, call secret_baker_reader.decrypt_all()
here at module level.
"""

import hashlib
import hmac

import secret_baker_reader


def handler(event, context):
    """Signs event["message"] with the SIGNING_KEY secret."""
    key = secret_baker_reader.get("SIGNING_KEY").encode("utf-8")
    signature = hmac.new(key, event["message"].encode("utf-8"), hashlib.sha256).hexdigest()
    return {"signature": signature}
