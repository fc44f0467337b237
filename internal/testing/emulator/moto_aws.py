"""Run moto as a local AWS endpoint whose SSM SecureStrings look like real AWS ones.

Protocol with the Go side (internal/testing/testbed/emulator.go):
  * prints one line "READY <port>" on stdout once the server listens on 127.0.0.1:<port>;
  * exits when stdin reaches EOF (the parent closed it or died) or on SIGTERM;
  * exits with code 3 when moto is missing or not the pinned version (testbed.ErrUnavailable).

Patches to stock moto 5.2.1 (each marked PATCH below):
  1. A standard-tier SecureString is stored as a real moto-KMS ciphertext made with the
     parameter's key and EncryptionContext {"PARAMETER_ARN": <parameter ARN>}; WithDecryption=false
     returns it base64-encoded and WithDecryption=true decrypts it through moto KMS, as AWS does.
  2. An advanced-tier SecureString comes back starting with an AWS Encryption SDK v2 header
     (0x02, suite 0x0578) so that code can tell it is not a bare KMS ciphertext.
  3. An unknown KeyId in PutParameter fails with SSM's InvalidKeyId.
  4. GetParameters reports the Selector (":3", ":label") of a "name:selector" request.
  5. Keys behind the reserved alias/aws/* aliases (created lazily by moto) are AWS managed.
  6. KMS Decrypt refuses a KeyId other than the ciphertext's key with IncorrectKeyException, a
     disabled key with DisabledException and a key pending deletion with KMSInvalidStateException.
  7. A direct KMS Decrypt under an AWS managed key fails with AccessDeniedException: its key
     policy lets only its service use it (kms:ViaService). SSM's own decryption still works.
  8. DescribeParameters returns up to MaxResults (at most 50) parameters a page, as AWS does,
     rather than 10, metadata only (no Value), and does not fail while a PutParameter runs.
"""

import base64
import json
import logging
import os
import sys
import threading

MOTO_VERSION = "5.2.1"
EXIT_UNAVAILABLE = 3

try:
    import moto
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult
    from moto.kms import models as kms_models
    from moto.kms.responses import KmsResponse
    from moto.server import ThreadedMotoServer
    from moto.ssm import models as ssm_models
    from moto.ssm.exceptions import SSMException
    from moto.ssm.responses import SimpleSystemManagerResponse
    from moto.ssm.utils import parameter_arn
except ImportError as err:
    print(f"moto is not importable: {err}", file=sys.stderr)
    sys.exit(EXIT_UNAVAILABLE)

if moto.__version__ != MOTO_VERSION:
    print(f"moto {MOTO_VERSION} required, found {moto.__version__}", file=sys.stderr)
    sys.exit(EXIT_UNAVAILABLE)

# AWS Encryption SDK message format version 2 with algorithm suite
# AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 (0x0578), followed by a 32-byte message ID.
ESDK_HEADER = bytes([0x02, 0x05, 0x78])
ESDK_MESSAGE_ID_LEN = 32


class InvalidKeyId(SSMException):
    def __init__(self, key_id):
        super().__init__("InvalidKeyId", f"Invalid KeyId: {key_id}")


# Parameter() is built without its region; put_parameter hands it over through this
# thread-local (the server serves each request on its own thread).
_put_context = threading.local()

# DescribeParameters iterates over every parameter; a PutParameter adding one meanwhile, on
# another thread, would fail it (the dict changes size), so both hold this lock.
_parameters_lock = threading.Lock()

_original_put_parameter = ssm_models.SimpleSystemManagerBackend.put_parameter
_original_encrypt = ssm_models.Parameter.encrypt
_original_decrypt = ssm_models.Parameter.decrypt


def _put_parameter(self, name, *args, **kwargs):
    _put_context.region = self.region_name
    try:
        with _parameters_lock:
            return _original_put_parameter(self, name, *args, **kwargs)
    except InvalidKeyId:
        # put_parameter registered the name before building the Parameter: forget it again
        # unless earlier versions exist.
        key = ssm_models.ParameterDict.normalize_name(name)
        if not self._parameters.get(key):
            self._parameters.pop(key, None)
        raise
    finally:
        del _put_context.region


def _kms(parameter):
    return kms_models.kms_backends[parameter.account_id][parameter.region]


def _encryption_context(parameter):
    return {"PARAMETER_ARN": parameter_arn(parameter.account_id, parameter.region, parameter.name)}


def _resolve_key(kms, key_id):
    """Return the raw id of any key identifier (id, ARN, alias, alias ARN) or raise InvalidKeyId."""
    alias = kms.get_alias_name(key_id)
    if alias.startswith("alias/"):
        raw = kms.get_key_id_from_alias(alias)  # creates alias/aws/* keys on first use
    else:
        raw = kms.get_key_id(key_id)
    if raw not in kms.keys:
        raise InvalidKeyId(key_id)
    return raw


# PATCH 1, 2, 3: called by Parameter.__init__ for SecureStrings, after keyid and tier are set.
def _encrypt(self, value):
    self.region = getattr(_put_context, "region", None)
    if self.region is None:  # not from PutParameter (e.g. /aws/reference/secretsmanager/...)
        return _original_encrypt(self, value)
    kms = _kms(self)
    blob, _ = kms.encrypt(
        key_id=_resolve_key(kms, self.keyid),
        plaintext=value.encode("utf-8"),
        encryption_context=_encryption_context(self),
    )
    if self.tier == "Advanced":
        # Not a real ESDK message: the header is faithful, the rest only has to round-trip here.
        blob = ESDK_HEADER + os.urandom(ESDK_MESSAGE_ID_LEN) + blob
    return base64.b64encode(blob).decode("ascii")


def _decrypt(self, value):
    if self.parameter_type != "SecureString" or getattr(self, "region", None) is None:
        return _original_decrypt(self, value)
    blob = base64.b64decode(value)
    if self.tier == "Advanced":
        blob = blob[len(ESDK_HEADER) + ESDK_MESSAGE_ID_LEN :]
    plaintext, _ = _kms(self).decrypt(
        ciphertext_blob=blob, encryption_context=_encryption_context(self)
    )
    return plaintext.decode("utf-8")


# PATCH 4: stock moto drops the Selector that AWS echoes for "name:version" and "name:label".
def _get_parameters(self):
    names = self._get_param("Names")
    with_decryption = self._get_param("WithDecryption")
    found = self.ssm_backend.get_parameters(names)
    parameters = []
    for requested, parameter in found.items():
        data = parameter.response_object(with_decryption, self.region)
        _, sep, selector = requested.partition(":")
        if sep:
            data["Selector"] = ":" + selector
        parameters.append(data)
    invalid = [name for name in names if name not in found]
    return ActionResult({"Parameters": parameters, "InvalidParameters": invalid})


# PATCH 5: moto creates the key of a reserved alias on first lookup but as a CUSTOMER key.
# The lock stops two concurrent first lookups from creating two keys.
_original_get_key_id_from_alias = kms_models.KmsBackend.get_key_id_from_alias
_original_generate_default_keys = kms_models.KmsBackend._generate_default_keys
_alias_lock = threading.Lock()


def _get_key_id_from_alias(self, alias_name):
    with _alias_lock:
        return _original_get_key_id_from_alias(self, alias_name)


def _generate_default_keys(self, alias_name):
    key_id = _original_generate_default_keys(self, alias_name)
    if key_id is not None:
        key = self.keys[key_id]
        key.key_manager = "AWS"
        service = alias_name.removeprefix("alias/aws/")
        key.description = f"Default key that protects my {service} resources when no other key is defined"
    return key_id


# PATCH 6 (added for verify's tests): stock moto answers a mismatching KeyId with
# AccessDeniedException and decrypts with disabled keys and keys pending deletion; AWS does not.
_original_kms_decrypt = kms_models.KmsBackend.decrypt


def _kms_decrypt(self, ciphertext_blob, encryption_context, key_id=None):
    plaintext, arn = _original_kms_decrypt(
        self, ciphertext_blob=ciphertext_blob, encryption_context=encryption_context
    )
    key = self.keys[self.get_key_id(arn)]
    if key_id is not None and self.any_id_to_key_id(key_id) != key.id:
        raise JsonRESTError(
            "IncorrectKeyException",
            "The key ID in the request does not identify a CMK that can perform this operation.",
        )
    if key.key_state == "Disabled":
        raise JsonRESTError("DisabledException", f"{arn} is disabled.")
    if key.key_state != "Enabled":
        raise JsonRESTError("KMSInvalidStateException", f"{arn} is in state {key.key_state}.")
    return plaintext, arn


# PATCH 7: stock moto lets any caller decrypt under alias/aws/* keys. Only the KMS API is
# patched: SSM decrypts through the backend, as the service the key policy admits.
_original_decrypt_response = KmsResponse.decrypt


def _decrypt_response(self):
    body = _original_decrypt_response(self)  # IncorrectKeyException and key states first
    arn = json.loads(body)["KeyId"]
    if self.kms_backend.keys[self.kms_backend.get_key_id(arn)].key_manager == "AWS":
        raise JsonRESTError(
            "AccessDeniedException",
            f"User: arn:aws:iam::{self.current_account}:root is not authorized to perform: "
            f"kms:Decrypt on resource: {arn} because no resource-based policy allows the "
            "kms:Decrypt action"
        )
    return body


# PATCH 8: stock moto pages DescribeParameters by 10 whatever MaxResults says, and sends values.
DESCRIBE_PARAMETERS_MAX_RESULTS = 50


def _describe_parameters(self):
    page_size = min(int(self._get_param("MaxResults") or 10), DESCRIBE_PARAMETERS_MAX_RESULTS)
    start = int((self._get_param("NextToken") or "0").strip() or "0")
    with _parameters_lock:
        found = self.ssm_backend.describe_parameters(
            self._get_param("Filters"), self._get_param("ParameterFilters")
        )
    page = found[start : start + page_size]
    response = {"Parameters": []}
    for parameter in page:
        metadata = parameter.describe_response_object(False)
        metadata.pop("Value", None)
        response["Parameters"].append(metadata)
    if start + page_size < len(found):
        response["NextToken"] = str(start + page_size)
    return ActionResult(response)


ssm_models.SimpleSystemManagerBackend.put_parameter = _put_parameter
ssm_models.Parameter.encrypt = _encrypt
ssm_models.Parameter.decrypt = _decrypt
SimpleSystemManagerResponse.get_parameters = _get_parameters
kms_models.KmsBackend.get_key_id_from_alias = _get_key_id_from_alias
kms_models.KmsBackend._generate_default_keys = _generate_default_keys
kms_models.KmsBackend.decrypt = _kms_decrypt
KmsResponse.decrypt = _decrypt_response
SimpleSystemManagerResponse.describe_parameters = _describe_parameters


def main():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request log lines
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"READY {port}", flush=True)
    sys.stdin.buffer.read()  # returns at EOF; SIGTERM's default action ends the process
    os._exit(0)  # do not wait for in-flight request threads


main()
