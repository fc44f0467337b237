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
  9. A request signed with the access key of an STS session of a role that exists in IAM is made
     by that role (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION); IAM policies are evaluated for
     it (a small evaluator: Allow/Deny, Action/NotAction, Resource/NotResource, Principal,
     wildcards and the StringEquals/StringLike conditions). Every other key keeps stock moto's
     full access.
 10. KMS Decrypt by an assumed role is authorized as AWS does it: its role's identity policies
     and the key policy (cross-account callers need both); a refused call fails with
     AccessDeniedException. Decrypt with DryRun never decrypts: it answers
     DryRunOperationException (HTTP 412) where the call would have succeeded. A KeyId naming a
     key of another account, or a ciphertext of such a key, is served by that account's KMS.
 11. STS AssumeRole honours the role's trust policy (AccessDenied, HTTP 403, otherwise); the role
     must exist. Roles in another account are created by sending "x-moto-account-id: ACCOUNT"
     (stock moto), and the session's access key then belongs to that account.
 12. Secrets Manager errors come with HTTP 400 and AWS's codes and messages (stock moto: 404 and
     other wording). GetSecretValue: an unknown secret is ResourceNotFoundException; a secret
     scheduled for deletion is InvalidRequestException ("You can't perform this operation on the
     secret because it was marked for deletion."), checked first; an unknown VersionId or a
     VersionStage on no version is ResourceNotFoundException ("... for VersionId: X" / "... for
     staging label: X"); a VersionId and a VersionStage naming different versions is
     InvalidRequestException. A version without labels (deprecated) is still read by VersionId.
 13. Staging labels move as AWS moves them: a label is on one version at a time; when AWSCURRENT
     moves (PutSecretValue, UpdateSecret, UpdateSecretVersionStage) AWSPREVIOUS moves to the version
     it left, whose other labels stay (stock moto drops them). PutSecretValue and
     UpdateSecretVersionStage on a secret scheduled for deletion are InvalidRequestException;
     UpdateSecretVersionStage refuses to take a label from another version that RemoveFromVersionId
     does not name (InvalidParameterException).
 14. DescribeSecret sends no null fields; VersionIdsToStages lists only versions with labels;
     KmsKeyId is absent for the AWS managed key aws/secretsmanager and otherwise the key as given
     to CreateSecret/UpdateSecret. ListSecretVersionIds leaves deprecated versions out unless
     IncludeDeprecated, gives each version its own CreatedDate and KmsKeyIds ("DefaultEncryptionKey"
     for aws/secretsmanager). A KmsKeyId naming no key fails CreateSecret/UpdateSecret with
     InvalidParameterException.
 15. RotateSecret with a RotationLambdaARN stands in for the rotation function (moto cannot run
     Lambda without Docker): it puts a new random SecretString as a new version, moves AWSCURRENT to
     it (AWSPREVIOUS follows), and sets LastRotatedDate to now and NextRotationDate to now plus
     AutomaticallyAfterDays. Without a Lambda ARN, first time: InvalidRequestException "No Lambda
     rotation function ARN is associated with this secret.".
 16. BatchGetSecretValue with SecretIdList takes at most 20 ids (ValidationException beyond) and
     reports each secret it cannot read in Errors (SecretId, ErrorCode, Message) with the code
     GetSecretValue would fail with.
 17. KMS Encrypt refuses a direct call under an AWS managed key (AccessDeniedException, as PATCH 7
     for Decrypt), a disabled key (DisabledException) and a key pending deletion
     (KMSInvalidStateException); an assumed role is authorized for kms:Encrypt as PATCH 10 does
     for kms:Decrypt.
"""

import base64
import json
import logging
import os
import re
import sys
import threading
import time
import uuid
from xml.sax.saxutils import escape

MOTO_VERSION = "5.2.1"
EXIT_UNAVAILABLE = 3

try:
    import moto
    from moto.core.exceptions import JsonRESTError
    from moto.iam.models import iam_backends
    from moto.core.responses import ActionResult
    from moto.kms import models as kms_models
    from moto.kms.responses import KmsResponse
    from moto.kms.utils import _deserialize_ciphertext_blob
    from moto.secretsmanager import exceptions as sm_exceptions
    from moto.secretsmanager import models as sm_models
    from moto.secretsmanager.responses import SecretsManagerResponse
    from moto.secretsmanager.utils import random_password
    from moto.server import ThreadedMotoServer
    from moto.ssm import models as ssm_models
    from moto.ssm.exceptions import SSMException
    from moto.ssm.responses import SimpleSystemManagerResponse
    from moto.ssm.utils import parameter_arn
    from moto.sts.models import sts_backends
    from moto.sts.responses import TokenResponse
    from werkzeug.exceptions import HTTPException
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
# patched (in _decrypt_response, PATCH 10): SSM decrypts through the backend, as the service the
# key policy admits.
def _refuse_aws_managed(key, caller_arn, action="kms:Decrypt"):
    if key.key_manager == "AWS":
        raise _access_denied(caller_arn, action, key.arn, NO_RESOURCE_ALLOW)


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


# PATCH 9: who is calling. moto keeps every session of AssumeRole and AssumeRoleWithWebIdentity
# (sts_backends[ACCOUNT].assumed_roles) with the temporary access key it handed out, created in
# the role's account, so that a request signed with it has that account as current_account. The
# session of a role that exists in IAM is evaluated against IAM policies. Any other key keeps
# stock moto's full access: the tests' own ("testing"), and the sessions of roles nobody created,
# which AssumeRoleWithWebIdentity still hands out (its trust policy is not evaluated), so that the
# OIDC tests need no IAM set-up.
def _session(response):
    """Return the moto AssumedRole whose access key signed the request, if its role exists."""
    sts = sts_backends[response.current_account][response.partition]
    session = sts.get_assumed_role_from_access_key(response.get_access_key())
    if session is None or _role(session.role_arn, session.partition) is None:
        return None
    return session


def _role(arn, partition):
    """Return the IAM role with this ARN, in the account the ARN names, or None."""
    match = re.fullmatch(r"arn:[^:]+:iam::(\d{12}):role/.+", arn or "")
    if match is None:
        return None
    try:
        return iam_backends[match.group(1)][partition].get_role_by_arn(arn)
    except Exception:  # moto's NotFoundException
        return None


def _identity_policies(session):
    """Return the policy documents of the session's role: inline, then attached managed ones.
    The session policy of AssumeRole(Policy=...) and permissions boundaries are not evaluated."""
    role = _role(session.role_arn, session.partition)
    if role is None:
        return []
    documents = list(role.policies.values())
    for managed in role.managed_policies.values():
        documents += [v.document for v in managed.versions if v.is_default]
    return documents


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _wildcard(pattern, value, ignore_case=False):
    """Match value against an IAM pattern where * is any run of characters and ? one."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


# The condition operators understood, without ForAnyValue:/ForAllValues:/IfExists forms. A
# statement with any other operator, or whose condition key the request does not carry (such as
# kms:ViaService on a direct call), does not match: an Allow then grants nothing and a Deny
# denies nothing. Condition key names are case-insensitive, values case-sensitive.
_CONDITION_OPERATORS = {
    "StringEquals": lambda wanted, value: wanted == value,
    "StringLike": lambda wanted, value: _wildcard(wanted, value),
}


def _conditions_hold(condition, context):
    for operator, block in condition.items():
        test = _CONDITION_OPERATORS.get(operator)
        if test is None or not isinstance(block, dict):
            return False
        for key, wanted in block.items():
            value = context.get(key.lower())
            if value is None or not any(test(str(w), value) for w in _as_list(wanted)):
                return False
    return True


def _names(statement, element, value, match):
    """Whether statement's element (Action, Resource, Principal) names value, by match; a
    Not-element names what it does not list; a statement with neither names nothing."""
    if element in statement:
        return any(match(item, value) for item in _as_list(statement[element]))
    if "Not" + element in statement:
        return not any(match(item, value) for item in _as_list(statement["Not" + element]))
    return False


def _principal_match(principal, names):
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return any(p == "*" or p in names for p in _as_list(principal.get("AWS", [])))


def _effects(documents, action, resource, context, principals=None):
    """Return the set of effects ("Allow", "Deny") of the statements in documents that apply to
    action on resource (None: trust policies name none) for a caller named by principals (None:
    identity policies name none)."""
    effects = set()
    for document in documents:
        try:
            statements = json.loads(document) if isinstance(document, str) else document
            statements = _as_list(statements.get("Statement", []))
        except (ValueError, AttributeError):
            continue
        for st in statements:
            if not isinstance(st, dict):
                continue
            if not _names(st, "Action", action, lambda a, v: _wildcard(a, v, ignore_case=True)):
                continue
            if resource is not None and not _names(st, "Resource", resource, _wildcard):
                continue
            if principals is not None and not _names(st, "Principal", principals, _principal_match):
                continue
            if _conditions_hold(st.get("Condition", {}), context):
                effects.add(st.get("Effect"))
    return effects


NO_IDENTITY_ALLOW = "because no identity-based policy allows the {action} action"
NO_RESOURCE_ALLOW = "because no resource-based policy allows the {action} action"
IDENTITY_DENY = "with an explicit deny in an identity-based policy"
RESOURCE_DENY = "with an explicit deny in a resource-based policy"


def _access_denied(caller_arn, action, resource, reason):
    return JsonRESTError(
        "AccessDeniedException",
        f"User: {caller_arn} is not authorized to perform: {action} on resource: {resource} "
        + reason.format(action=action),
    )


# PATCH 10: KMS Decrypt by an assumed role, and DryRun. The emulator checks a Decrypt in this
# order: the ciphertext must name a key (else InvalidCiphertextException) and the request's KeyId
# must be that key (else IncorrectKeyException); then the caller is authorized on that key
# (AccessDeniedException); then the key's state (DisabledException, KMSInvalidStateException)
# and the encryption context (InvalidCiphertextException) are checked by decrypting; only then
# does DryRun answer DryRunOperationException (HTTP 412, the status the KMS API reference lists)
# instead of the plaintext. AWS documents that DryRun checks permissions and parameters, not the
# order of its checks: authorization before the key's state and the cryptographic check is the
# order IAM's evaluation implies (a kms:EncryptionContext condition is judged on the request, so
# a role whose condition names another parameter is refused rather than told the context is
# wrong); whether DryRun verifies the encryption context is not documented, and the emulator
# does, as a real call would. The tests' own credentials keep PATCH 6's order.
#
# Authorization (callers of PATCH 9 only) follows AWS's rules for KMS: an explicit Deny in the
# role's identity policies or in the key policy refuses; in the key's account the key policy
# admits the role directly (its role or session ARN, or "*") or delegates to IAM by naming the
# account (arn:aws:iam::ACCOUNT:root or ACCOUNT, as moto's default key policy does), and then an
# identity policy must allow; a caller of another account needs both the key policy (its account
# or its role) and its identity policy. Grants are not modelled. The request's context keys are
# kms:EncryptionContext:<key>, kms:CallerAccount, aws:PrincipalArn and aws:PrincipalAccount;
# kms:ViaService is absent, as on any direct call.
class DryRunOperationException(JsonRESTError):
    code = 412

    def __init__(self):
        super().__init__(
            "DryRunOperationException",
            "The request would have succeeded, but the DryRun option is set.",
        )


def _authorize_decrypt(session, key, encryption_context, action="kms:Decrypt"):
    context = {"kms:encryptioncontext:" + k.lower(): v for k, v in encryption_context.items()}
    context.update(
        {
            "kms:calleraccount": session.account_id,
            "aws:principalaccount": session.account_id,
            "aws:principalarn": session.role_arn,
        }
    )
    role = {session.role_arn, session.arn}
    account = {f"arn:{session.partition}:iam::{session.account_id}:root", session.account_id}
    identity = _effects(_identity_policies(session), action, key.arn, context)
    by_role = _effects([key.policy], action, key.arn, context, role)
    by_account = _effects([key.policy], action, key.arn, context, account)

    def refuse(reason):
        raise _access_denied(session.arn, action, key.arn, reason)

    if "Deny" in identity:
        refuse(IDENTITY_DENY)
    if "Deny" in by_role | by_account:
        refuse(RESOURCE_DENY)
    _refuse_aws_managed(key, session.arn, action)
    if key.account_id == session.account_id and "Allow" in by_role:
        return
    if "Allow" not in by_role | by_account:
        refuse(NO_RESOURCE_ALLOW)
    if "Allow" not in identity:
        refuse(NO_IDENTITY_ALLOW)


def _ciphertext_key_id(response):
    try:
        return _deserialize_ciphertext_blob(response._get_param("CiphertextBlob")).key_id
    except Exception:
        return None


def _key_account(response):
    """Return the account whose KMS holds the key of a Decrypt: the one its KeyId ARN names, else
    the caller's if it holds the ciphertext's key, else any that does (a real ciphertext names its
    key's ARN; moto's holds only the key id)."""
    match = re.match(r"arn:[^:]+:kms:[^:]*:(\d{12}):", response._get_param("KeyId") or "")
    if match:
        return match.group(1)
    key_id = _ciphertext_key_id(response)
    if key_id is None or key_id in response.kms_backend.keys:
        return response.current_account
    for account in list(kms_models.kms_backends.keys()):
        if key_id in kms_models.kms_backends[account][response.region].keys:
            return account
    return response.current_account


def _names_key(response, key):
    """Whether the Decrypt's KeyId is absent or identifies key."""
    key_id = response._get_param("KeyId")
    try:
        return not key_id or response.kms_backend.any_id_to_key_id(key_id) == key.id
    except Exception:
        return False


_original_decrypt_response = KmsResponse.decrypt


def _decrypt_response(self):
    session = _session(self)
    caller_account = self.current_account
    self.current_account = _key_account(self)  # kms_backend is the key's account's
    try:
        key = self.kms_backend.keys.get(_ciphertext_key_id(self) or "")
        if session is not None and key is not None and _names_key(self, key):
            _authorize_decrypt(session, key, self._get_param("EncryptionContext", {}))
        # Invalid ciphertext or context, IncorrectKeyException and key states (PATCH 6).
        body = _original_decrypt_response(self)
        if session is None:
            arn = json.loads(body)["KeyId"]
            key = self.kms_backend.keys[self.kms_backend.get_key_id(arn)]
            _refuse_aws_managed(key, f"arn:{self.partition}:iam::{caller_account}:root")
    finally:
        self.current_account = caller_account
    if self._get_param("DryRun") is True:
        raise DryRunOperationException()
    return body


# PATCH 11: stock moto lets anyone assume any role, even one that does not exist. AWS refuses
# unless the role's trust policy allows the caller sts:AssumeRole (Principal "*", or AWS: the
# caller's ARN, the role ARN of an assumed-role caller, or its account as ACCOUNT or
# arn:aws:iam::ACCOUNT:root; AWS then also wants the caller's own IAM policies to allow
# sts:AssumeRole, which the emulator does not check). Any other caller is who GetCallerIdentity
# says: for the tests' key, arn:aws:sts::123456789012:user/moto. Context keys: aws:PrincipalArn,
# aws:PrincipalAccount and sts:ExternalId.
class STSAccessDenied(HTTPException):
    code = 403

    def __init__(self, message):
        super().__init__()
        self.description = (
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
            f"<Type>Sender</Type><Code>AccessDenied</Code><Message>{escape(message)}</Message>"
            f"</Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        )

    def get_headers(self, *args, **kwargs):
        return [("Content-Type", "text/xml")]


_original_assume_role = TokenResponse.assume_role


def _assume_role(self):
    role_arn = self._get_param("RoleArn")
    session = _session(self)
    if session is not None:
        caller_arn, account, principal_arn = session.arn, session.account_id, session.role_arn
        names = {session.arn, session.role_arn}
    else:
        _, caller_arn, account = self.backend.get_caller_identity(self.get_access_key(), self.region)
        principal_arn, names = caller_arn, {caller_arn}
    accounts = {f"arn:{self.partition}:iam::{account}:root", account}
    context = {"aws:principalarn": principal_arn, "aws:principalaccount": account}
    if self._get_param("ExternalId") is not None:
        context["sts:externalid"] = self._get_param("ExternalId")
    role = _role(role_arn, self.partition)
    effects = set()
    if role is not None:
        trust = [role.assume_role_policy_document]
        effects = _effects(trust, "sts:AssumeRole", None, context, names)
        effects |= _effects(trust, "sts:AssumeRole", None, context, accounts)
    if "Deny" in effects or "Allow" not in effects:
        raise STSAccessDenied(
            f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        )
    return _original_assume_role(self)


# PATCH 12: Secrets Manager's errors and GetSecretValue as AWS answers them (messages and codes as
# recorded from AWS in LocalStack's validated snapshots). Stock moto answers ResourceNotFoundException
# with HTTP 404; AWS with 400, as for every Secrets Manager client error.
class SecretsManagerError(JsonRESTError):
    code = 400


SM_NOT_FOUND = "Secrets Manager can't find the specified secret."
SM_MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
SM_STAGE_MISMATCH = "You provided a VersionStage that is not associated to the provided VersionId."


def _with_status_400(init):
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.code = 400

    return __init__


for _cls in (
    sm_exceptions.ResourceNotFoundException,
    sm_exceptions.SecretNotFoundException,
    sm_exceptions.SecretHasNoValueException,
    sm_exceptions.SecretStageVersionMismatchException,
):
    _cls.__init__ = _with_status_400(_cls.__init__)


def _sm_secret(backend, secret_id):
    """Return the secret (name, ARN or partial ARN) or raise ResourceNotFoundException."""
    if secret_id not in backend.secrets:
        raise SecretsManagerError("ResourceNotFoundException", SM_NOT_FOUND)
    return backend.secrets[secret_id]


def _sm_live_secret(backend, secret_id):
    """Return the secret unless it is scheduled for deletion (InvalidRequestException)."""
    secret = _sm_secret(backend, secret_id)
    if secret.is_deleted():
        raise SecretsManagerError("InvalidRequestException", SM_MARKED_FOR_DELETION)
    return secret


def _sm_value_not_found(what):
    return SecretsManagerError(
        "ResourceNotFoundException",
        f"Secrets Manager can't find the specified secret value for {what}",
    )


def _sm_get_secret_value(self, secret_id, version_id, version_stage):
    secret = _sm_live_secret(self, secret_id)
    if version_id:
        version = secret.versions.get(version_id)  # deprecated (unlabelled) versions too
        if version is None:
            raise _sm_value_not_found(f"VersionId: {version_id}")
        if version_stage and version_stage not in version["version_stages"]:
            raise SecretsManagerError("InvalidRequestException", SM_STAGE_MISMATCH)
    else:
        stage = version_stage or "AWSCURRENT"
        version = next(
            (v for v in secret.versions.values() if stage in v["version_stages"]), None
        )
        if version is None:
            raise _sm_value_not_found(f"staging label: {stage}")
    response = {
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version["version_id"],
        "VersionStages": list(version["version_stages"]),
        "CreatedDate": version["createdate"],
    }
    if "secret_string" in version:
        response["SecretString"] = version["secret_string"]
    if "secret_binary" in version:
        response["SecretBinary"] = version["secret_binary"]  # base64, as sent and as AWS sends
    return response


# PATCH 13: staging labels. _move_labels is the one place labels move.
def _move_labels(secret, labels, to_version_id):
    """Attach labels to the version to_version_id, taking each from the version holding it; when
    AWSCURRENT leaves a version, AWSPREVIOUS goes to that version. Other labels stay put."""
    left = None
    for version_id, version in secret.versions.items():
        if version_id == to_version_id:
            continue
        for label in labels:
            if label in version["version_stages"]:
                version["version_stages"].remove(label)
                if label == "AWSCURRENT":
                    left = version_id
    stages = secret.versions[to_version_id]["version_stages"]
    stages.extend(label for label in dict.fromkeys(labels) if label not in stages)
    if left is not None:
        _move_labels(secret, ["AWSPREVIOUS"], left)


def _reset_default_version(self, secret_version, version_id):
    """FakeSecret.reset_default_version: add a version that takes AWSCURRENT (and its other labels)."""
    labels = list(secret_version["version_stages"])
    secret_version["version_stages"] = []
    self.versions[version_id] = secret_version
    _move_labels(self, labels, version_id)
    self.default_version_id = version_id


_original_put_secret_value = sm_models.SecretsManagerBackend.put_secret_value
_original_update_secret = sm_models.SecretsManagerBackend.update_secret
_original_create_secret = sm_models.SecretsManagerBackend.create_secret
_original_update_secret_version_stage = sm_models.SecretsManagerBackend.update_secret_version_stage


def _sm_put_secret_value(self, secret_id, *args, **kwargs):
    _sm_live_secret(self, secret_id)
    return _original_put_secret_value(self, secret_id, *args, **kwargs)


def _sm_update_secret_version_stage(
    self, secret_id, version_stage, remove_from_version_id, move_to_version_id
):
    secret = _sm_live_secret(self, secret_id)
    if not move_to_version_id:  # only removing a label: stock moto does it
        return _original_update_secret_version_stage(
            self, secret_id, version_stage, remove_from_version_id, move_to_version_id
        )
    for version_id in (remove_from_version_id, move_to_version_id):
        if version_id and version_id not in secret.versions:
            raise sm_exceptions.InvalidParameterException(f"Not a valid version: {version_id}")
    holder = next(
        (vid for vid, v in secret.versions.items() if version_stage in v["version_stages"]), None
    )
    if remove_from_version_id and holder != remove_from_version_id:
        raise sm_exceptions.InvalidParameterException(
            f"Version stage {version_stage} not found in version {remove_from_version_id}"
        )
    if holder not in (None, move_to_version_id, remove_from_version_id):
        raise sm_exceptions.InvalidParameterException(
            f"The parameter RemoveFromVersionId can't be empty. Staging label {version_stage} is "
            f"currently attached to version {holder}, so you must explicitly reference that "
            "version in RemoveFromVersionId."
        )
    _move_labels(secret, [version_stage], move_to_version_id)
    if version_stage == "AWSCURRENT":
        secret.default_version_id = move_to_version_id
    return secret.arn, secret.name


# PATCH 14: DescribeSecret, ListSecretVersionIds and the key of a secret.
def _uses_default_key(secret):
    secret = getattr(secret, "source", secret)  # a replica reports its primary's key
    return secret.kms_key_id in (None, "", sm_models.SecretsManagerBackend.DEFAULT_KMS_KEY_ALIAS)


def _check_secret_key(backend, kms_key_id):
    """Raise InvalidParameterException unless kms_key_id ("" or None: aws/secretsmanager) names a
    KMS key: a key id, key ARN, alias or alias ARN, in the ARN's account if it is an ARN."""
    if not kms_key_id or kms_key_id == sm_models.SecretsManagerBackend.DEFAULT_KMS_KEY_ALIAS:
        return
    match = re.match(r"arn:[^:]+:kms:[^:]*:(\d{12}):", kms_key_id)
    account = match.group(1) if match else backend.account_id
    kms = kms_models.kms_backends[account][backend.region_name]
    try:
        if kms.any_id_to_key_id(kms_key_id) in kms.keys:
            return
    except Exception:  # moto's NotFoundException for an unknown alias
        pass
    raise sm_exceptions.InvalidParameterException(
        "The operation failed because of an invalid KMS key: Invalid keyId"
    )


def _sm_create_secret(self, name, secret_string, secret_binary, description, tags, kms_key_id, *args, **kwargs):
    _check_secret_key(self, kms_key_id)
    return _original_create_secret(
        self, name, secret_string, secret_binary, description, tags, kms_key_id, *args, **kwargs
    )


def _sm_update_secret(self, secret_id, *args, kms_key_id=None, **kwargs):
    _check_secret_key(self, kms_key_id)
    return _original_update_secret(self, secret_id, *args, kms_key_id=kms_key_id, **kwargs)


def _describe_secret_response(self):
    secret = self.backend.describe_secret(secret_id=self._get_param("SecretId"))
    data = secret.to_dict()
    data.pop("SecretVersionsToStages", None)  # ListSecrets' name for it
    data["VersionIdsToStages"] = {
        vid: list(v["version_stages"]) for vid, v in secret.versions.items() if v["version_stages"]
    } or None
    if _uses_default_key(secret):
        data.pop("KmsKeyId", None)
    return json.dumps({k: v for k, v in data.items() if v is not None})


def _list_secret_version_ids_response(self):
    secret = _sm_secret(self.backend, self._get_param("SecretId"))
    include_deprecated = self._get_bool_param("IncludeDeprecated", False)
    source = getattr(secret, "source", secret)
    key_ids = ["DefaultEncryptionKey"] if _uses_default_key(secret) else [source.kms_key_id]
    versions = []
    for version_id, version in secret.versions.items():
        if not version["version_stages"] and not include_deprecated:
            continue
        entry = {"VersionId": version_id, "CreatedDate": version["createdate"], "KmsKeyIds": key_ids}
        if version["version_stages"]:
            entry["VersionStages"] = list(version["version_stages"])
        versions.append(entry)
    return json.dumps({"ARN": secret.arn, "Name": secret.name, "Versions": versions})


# PATCH 15: RotateSecret, the emulator standing in for the rotation function.
ROTATION_PASSWORD_LENGTH = 32


def _sm_rotate_secret(
    self,
    secret_id,
    client_request_token=None,
    rotation_lambda_arn=None,
    rotation_rules=None,
    rotate_immediately=True,
):
    secret = _sm_live_secret(self, secret_id)
    if isinstance(secret, sm_models.ReplicaSecret):
        raise sm_exceptions.OperationNotPermittedOnReplica
    lambda_arn = rotation_lambda_arn or secret.rotation_lambda_arn
    if not lambda_arn:
        raise SecretsManagerError(
            "InvalidRequestException", "No Lambda rotation function ARN is associated with this secret."
        )
    days = (rotation_rules or {}).get("AutomaticallyAfterDays")
    if days is not None and not 1 <= int(days) <= 1000:
        raise sm_exceptions.InvalidParameterException(
            "RotationRules.AutomaticallyAfterDays must be within 1-1000."
        )
    secret.rotation_requested = secret.rotation_enabled = True
    secret.rotation_lambda_arn = lambda_arn
    if days is not None:
        secret.auto_rotate_after_days = int(days)
    response = {"ARN": secret.arn, "Name": secret.name}
    now = int(time.time())
    if rotate_immediately:
        version_id = self._from_client_request_token(client_request_token)
        value = random_password(ROTATION_PASSWORD_LENGTH, "", False, True, False, False, False, True)
        version = {"createdate": now, "version_id": version_id, "version_stages": ["AWSCURRENT"]}
        version["secret_string"] = value
        secret.reset_default_version(version, version_id)
        secret.last_rotation_date = secret.last_changed_date = now
        response["VersionId"] = version_id
    if secret.auto_rotate_after_days:
        base = secret.last_rotation_date or now
        secret.next_rotation_date = base + secret.auto_rotate_after_days * 86400
    return json.dumps(response)


# PATCH 16: BatchGetSecretValue by SecretIdList.
BATCH_GET_SECRET_VALUE_MAX_IDS = 20
_original_batch_get_secret_value = SecretsManagerResponse.batch_get_secret_value


def _batch_get_secret_value_response(self):
    ids = self._get_param("SecretIdList")
    if not ids or self._get_param("Filters"):
        return _original_batch_get_secret_value(self)
    if len(ids) > BATCH_GET_SECRET_VALUE_MAX_IDS:
        raise SecretsManagerError(
            "ValidationException",
            "1 validation error detected: Value at 'secretIdList' failed to satisfy constraint: "
            f"Member must have length less than or equal to {BATCH_GET_SECRET_VALUE_MAX_IDS}",
        )
    values, errors = [], []
    for secret_id in ids:
        try:
            values.append(self.backend.get_secret_value(secret_id, None, None))
        except JsonRESTError as err:
            errors.append({"SecretId": secret_id, "ErrorCode": err.error_type, "Message": err.message})
    return json.dumps({"SecretValues": values, "Errors": errors})


# PATCH 17: KMS Encrypt. Same order as PATCH 10: authorization, then the key's state.
_original_encrypt_response = KmsResponse.encrypt


def _encrypt_response(self):
    session = _session(self)
    caller_account = self.current_account
    self.current_account = _key_account(self)  # a KeyId ARN of another account: that account's KMS
    try:
        try:
            key = self.kms_backend.keys.get(self.kms_backend.any_id_to_key_id(self._get_param("KeyId")))
        except Exception:  # unknown alias: stock moto's NotFoundException follows
            key = None
        if key is not None:
            if session is not None:
                context = self._get_param("EncryptionContext", {})
                _authorize_decrypt(session, key, context, action="kms:Encrypt")
            else:
                caller = f"arn:{self.partition}:iam::{caller_account}:root"
                _refuse_aws_managed(key, caller, "kms:Encrypt")
            if key.key_state == "Disabled":
                raise JsonRESTError("DisabledException", f"{key.arn} is disabled.")
            if key.key_state != "Enabled":
                raise JsonRESTError(
                    "KMSInvalidStateException", f"{key.arn} is in state {key.key_state}."
                )
        return _original_encrypt_response(self)
    finally:
        self.current_account = caller_account


ssm_models.SimpleSystemManagerBackend.put_parameter = _put_parameter
ssm_models.Parameter.encrypt = _encrypt
ssm_models.Parameter.decrypt = _decrypt
SimpleSystemManagerResponse.get_parameters = _get_parameters
kms_models.KmsBackend.get_key_id_from_alias = _get_key_id_from_alias
kms_models.KmsBackend._generate_default_keys = _generate_default_keys
kms_models.KmsBackend.decrypt = _kms_decrypt
KmsResponse.decrypt = _decrypt_response
SimpleSystemManagerResponse.describe_parameters = _describe_parameters
TokenResponse.assume_role = _assume_role
sm_models.SecretsManagerBackend.get_secret_value = _sm_get_secret_value
sm_models.SecretsManagerBackend.put_secret_value = _sm_put_secret_value
sm_models.SecretsManagerBackend.update_secret_version_stage = _sm_update_secret_version_stage
sm_models.SecretsManagerBackend.create_secret = _sm_create_secret
sm_models.SecretsManagerBackend.update_secret = _sm_update_secret
sm_models.SecretsManagerBackend.rotate_secret = _sm_rotate_secret
sm_models.FakeSecret.reset_default_version = _reset_default_version
SecretsManagerResponse.describe_secret = _describe_secret_response
SecretsManagerResponse.list_secret_version_ids = _list_secret_version_ids_response
SecretsManagerResponse.batch_get_secret_value = _batch_get_secret_value_response
KmsResponse.encrypt = _encrypt_response


def main():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request log lines
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"READY {port}", flush=True)
    sys.stdin.buffer.read()  # returns at EOF; SIGTERM's default action ends the process
    os._exit(0)  # do not wait for in-flight request threads


main()
