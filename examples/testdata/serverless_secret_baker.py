"""A handler written the way serverless-secret-baker's README shows: it reads
the baked file on every call and decrypts the entry with KMS, binding the
ciphertext to its parameter ARN. The tests check that it opens our files
unchanged.
"""

import json
import os
from base64 import b64decode

import boto3


def kms_decrypt(secret_name):
    client = boto3.client("kms")
    with open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "secret-baker-secrets.json")) as f:
        secrets = json.load(f)
    context = {"PARAMETER_ARN": secrets[secret_name]["arn"]}
    resp = client.decrypt(CiphertextBlob=b64decode(secrets[secret_name]["ciphertext"]), EncryptionContext=context)
    return resp["Plaintext"].decode("UTF-8")
