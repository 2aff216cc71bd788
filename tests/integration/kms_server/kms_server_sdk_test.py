#!/usr/bin/env python3
"""boto3 and the AWS CLI against `envelope kms serve` on loopback (ctest -L integration).

Usage: kms_server_sdk_test.py PATH/TO/envelope

Starts the server on 127.0.0.1 with an ephemeral port and a fresh data directory (so it creates
its default account and DATA_DIR/credentials), then drives the main operations and checks the
exact error `__type` names. Prints SKIPPED loudly when neither boto3 nor the aws CLI is present.
"""
import base64
import configparser
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

try:
    import boto3
    import botocore.auth
    import botocore.awsrequest
    import botocore.config
    import botocore.credentials
    import botocore.exceptions
except ImportError:  # reported below
    boto3 = None

FAILURES = []
PASSES = []


def check(name):
    """Decorator: runs a case, records pass/fail with the traceback."""
    def wrap(fn):
        def run(*args):
            start = time.monotonic()
            try:
                fn(*args)
                PASSES.append(name)
                print(f"PASS {name} ({time.monotonic() - start:.2f}s)")
            except Exception:  # noqa: BLE001 - a test runner reports every failure
                FAILURES.append(name)
                print(f"FAIL {name}\n{traceback.format_exc()}")
        run.case_name = name
        return run
    return wrap


class Server:
    """`envelope kms serve` in the background; stopped with SIGTERM (graceful shutdown)."""

    def __init__(self, binary, data_dir, extra=()):
        self.proc = subprocess.Popen(
            [binary, "kms", "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir, *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.port = None
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("server did not start:\n" + "".join(self.lines))
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def _drain(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


def error_code(fn, **kwargs):
    """The error code fn fails with (None on success); request quotas are waited out first."""
    try:
        within_quota(fn, **kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None


def make_client(url, akid, secret, region="us-east-1"):
    session = boto3.session.Session(aws_access_key_id=akid, aws_secret_access_key=secret,
                                    region_name=region)
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
    return session.client("kms", endpoint_url=url, config=config)


def within_quota(fn, **kwargs):
    """Calls fn, waiting out the server's real per-operation request quotas (5/s for CreateKey
    and CreateAlias, shared by the parallel CLI cases) as an SDK with retries would. Bounded."""
    for _attempt in range(40):
        try:
            return fn(**kwargs)
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] != "ThrottlingException":
                raise
            time.sleep(0.25)  # the quotas refill at 5 tokens/s
    raise AssertionError(f"{fn.__name__} stayed throttled for 10 s")


def new_key(kms, **kwargs):
    return within_quota(kms.create_key, **kwargs)["KeyMetadata"]["KeyId"]


SHARED = {}


def shared_key(kms, kind):
    """One key per kind for cases that do not change the key's state."""
    specs = {"sym": {}, "rsa_sign": {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"},
             "ecc_sign": {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}}
    if kind not in SHARED:
        SHARED[kind] = new_key(kms, **specs[kind])
    return SHARED[kind]


# ----------------------------------------------------------------------------- boto3 cases

@check("boto3: create, describe and list a key")
def case_create_describe_list(kms, _):
    meta = kms.create_key(Description="it")["KeyMetadata"]
    assert meta["KeyState"] == "Enabled" and meta["Enabled"] is True, meta
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["Description"] == "it"
    ids = [k["KeyId"] for k in kms.list_keys()["Keys"]]
    assert meta["KeyId"] in ids, ids


@check("boto3: encrypt and decrypt with an encryption context")
def case_encrypt_decrypt(kms, _):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key, Plaintext=b"hello", EncryptionContext={"a": "b"})["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})
    assert out["Plaintext"] == b"hello" and key in out["KeyId"], out
    assert error_code(kms.decrypt, CiphertextBlob=blob,
                      EncryptionContext={"a": "c"}) == "InvalidCiphertextException"


@check("boto3: GenerateDataKey and WithoutPlaintext decrypt to the same key")
def case_generate_data_key(kms, _):
    key = new_key(kms)
    gdk = kms.generate_data_key(KeyId=key, KeySpec="AES_256")
    assert len(gdk["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=gdk["CiphertextBlob"])["Plaintext"] == gdk["Plaintext"]
    wp = kms.generate_data_key_without_plaintext(KeyId=key, NumberOfBytes=16)
    assert "Plaintext" not in wp
    assert len(kms.decrypt(CiphertextBlob=wp["CiphertextBlob"])["Plaintext"]) == 16


@check("boto3: ReEncrypt moves a ciphertext to another key")
def case_reencrypt(kms, _):
    a = new_key(kms)
    b = new_key(kms)
    blob = kms.encrypt(KeyId=a, Plaintext=b"x")["CiphertextBlob"]
    moved = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b)["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=moved)
    assert out["Plaintext"] == b"x" and b in out["KeyId"], out


@check("boto3: aliases resolve for Encrypt and are listed")
def case_alias(kms, _):
    key = new_key(kms)
    within_quota(kms.create_alias, AliasName="alias/it-alias", TargetKeyId=key)
    blob = kms.encrypt(KeyId="alias/it-alias", Plaintext=b"y")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"y"
    names = [a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    assert "alias/it-alias" in names, names
    assert error_code(kms.create_alias, AliasName="alias/it-alias",
                      TargetKeyId=key) == "AlreadyExistsException"


@check("boto3: wrong KeyId on Decrypt is IncorrectKeyException")
def case_incorrect_key(kms, _):
    a = new_key(kms)
    b = new_key(kms)
    blob = kms.encrypt(KeyId=a, Plaintext=b"z")["CiphertextBlob"]
    assert error_code(kms.decrypt, CiphertextBlob=blob, KeyId=b) == "IncorrectKeyException"


@check("boto3: a tampered blob is InvalidCiphertextException")
def case_tampered(kms, _):
    key = new_key(kms)
    blob = bytearray(kms.encrypt(KeyId=key, Plaintext=b"z")["CiphertextBlob"])
    blob[-1] ^= 1
    assert error_code(kms.decrypt, CiphertextBlob=bytes(blob)) == "InvalidCiphertextException"


@check("boto3: disabled and pending-deletion keys refuse Encrypt")
def case_key_states(kms, _):
    key = new_key(kms)
    kms.disable_key(KeyId=key)
    assert error_code(kms.encrypt, KeyId=key, Plaintext=b"a") == "DisabledException"
    kms.enable_key(KeyId=key)
    kms.encrypt(KeyId=key, Plaintext=b"a")
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert error_code(kms.encrypt, KeyId=key, Plaintext=b"a") == "KMSInvalidStateException"
    kms.cancel_key_deletion(KeyId=key)


@check("boto3: unknown key is NotFoundException")
def case_not_found(kms, _):
    assert error_code(kms.describe_key,
                      KeyId="11111111-2222-3333-4444-555555555555") == "NotFoundException"


@check("boto3: GenerateRandom")
def case_random(kms, _):
    assert len(kms.generate_random(NumberOfBytes=48)["Plaintext"]) == 48


@check("boto3: ECC sign and verify; a wrong message is KMSInvalidSignatureException")
def case_sign_verify(kms, _):
    key = new_key(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    sig = kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    assert kms.verify(KeyId=key, Message=b"m", Signature=sig,
                      SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"] is True
    assert error_code(kms.verify, KeyId=key, Message=b"n", Signature=sig,
                      SigningAlgorithm="ECDSA_SHA_256") == "KMSInvalidSignatureException"


@check("boto3: HMAC GenerateMac and VerifyMac")
def case_mac(kms, _):
    key = new_key(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    mac = kms.generate_mac(KeyId=key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert kms.verify_mac(KeyId=key, Message=b"m", Mac=mac,
                          MacAlgorithm="HMAC_SHA_256")["MacValid"] is True


@check("boto3: a wrong secret is InvalidSignatureException")
def case_bad_secret(kms, ctx):
    bad = make_client(ctx["url"], ctx["akid"], "not-the-secret")
    assert error_code(bad.list_keys) == "InvalidSignatureException"


@check("boto3: an unknown access key is UnrecognizedClientException")
def case_unknown_key(kms, ctx):
    bad = make_client(ctx["url"], "AKIANOBODYKNOWS0000", "x")
    assert error_code(bad.list_keys) == "UnrecognizedClientException"


@check("boto3: keys are per region (credential scope)")
def case_region(kms, ctx):
    key = new_key(kms)
    other = make_client(ctx["url"], ctx["akid"], ctx["secret"], region="eu-west-1")
    assert error_code(other.describe_key, KeyId=key) == "NotFoundException"


# ------------------------------------------------------------ boto3: key lifecycle and aliases

@check("boto3: UpdateKeyDescription changes the description")
def case_update_description(kms, _):
    key = new_key(kms, Description="old")
    kms.update_key_description(KeyId=key, Description="new")
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Description"] == "new"


@check("boto3: DisableKey and EnableKey change KeyState; Decrypt of a disabled key is DisabledException")
def case_enable_disable(kms, _):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key, Plaintext=b"a")["CiphertextBlob"]
    kms.disable_key(KeyId=key)
    meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled" and meta["Enabled"] is False, meta
    assert error_code(kms.decrypt, CiphertextBlob=blob) == "DisabledException"
    kms.enable_key(KeyId=key)
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"a"


@check("boto3: ScheduleKeyDeletion accepts 7-30 days and rejects 3 with ValidationException")
def case_schedule_deletion(kms, _):
    key = new_key(kms)
    assert error_code(kms.schedule_key_deletion, KeyId=key,
                      PendingWindowInDays=3) == "ValidationException"
    assert error_code(kms.schedule_key_deletion, KeyId=key,
                      PendingWindowInDays=31) == "ValidationException"
    out = kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=30)
    assert key in out["KeyId"] and "DeletionDate" in out, out
    meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion" and "DeletionDate" in meta, meta


@check("boto3: pending deletion refuses Decrypt and DescribeKey still works (KMSInvalidStateException)")
def case_pending_deletion_decrypt(kms, _):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key, Plaintext=b"a")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert error_code(kms.decrypt, CiphertextBlob=blob) == "KMSInvalidStateException"
    assert error_code(kms.enable_key, KeyId=key) == "KMSInvalidStateException"
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"


@check("boto3: CancelKeyDeletion leaves the key Disabled")
def case_cancel_deletion(kms, _):
    key = new_key(kms)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    kms.cancel_key_deletion(KeyId=key)
    meta = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert meta["KeyState"] == "Disabled" and meta.get("DeletionDate") is None, meta
    assert error_code(kms.encrypt, KeyId=key, Plaintext=b"a") == "DisabledException"


@check("boto3: CreateAlias rejects the reserved alias/aws/ prefix (InvalidAliasNameException)")
def case_alias_reserved(kms, _):
    key = shared_key(kms, "sym")
    assert error_code(kms.create_alias, AliasName="alias/aws/mine",
                      TargetKeyId=key) == "InvalidAliasNameException"
    assert error_code(kms.create_alias, AliasName="notalias/x",
                      TargetKeyId=key) == "InvalidAliasNameException"


@check("boto3: UpdateAlias retargets and DeleteAlias removes an alias")
def case_update_delete_alias(kms, _):
    a = shared_key(kms, "sym")
    b = new_key(kms)
    within_quota(kms.create_alias, AliasName="alias/it-move", TargetKeyId=a)
    kms.update_alias(AliasName="alias/it-move", TargetKeyId=b)
    assert kms.describe_key(KeyId="alias/it-move")["KeyMetadata"]["KeyId"] == b
    kms.delete_alias(AliasName="alias/it-move")
    assert error_code(kms.describe_key, KeyId="alias/it-move") == "NotFoundException"
    assert error_code(kms.delete_alias, AliasName="alias/it-move") == "NotFoundException"


@check("boto3: ListAliases filters by KeyId and paginates with Limit/Marker")
def case_list_aliases(kms, _):
    key = new_key(kms)
    want = {f"alias/it-page-{i}" for i in range(3)}
    for name in want:
        within_quota(kms.create_alias, AliasName=name, TargetKeyId=key)
    page = kms.list_aliases(KeyId=key, Limit=2)
    assert len(page["Aliases"]) == 2 and page["Truncated"] is True, page
    rest = kms.list_aliases(KeyId=key, Limit=2, Marker=page["NextMarker"])
    assert rest["Truncated"] is False and "NextMarker" not in rest, rest
    got = [a["AliasName"] for a in page["Aliases"] + rest["Aliases"]]
    assert sorted(got) == sorted(want), got
    assert all(a["TargetKeyId"] == key for a in page["Aliases"] + rest["Aliases"])


@check("boto3: ListKeys paginates with Limit/Marker without repeats")
def case_list_keys_pages(kms, _):
    for _i in range(3):
        new_key(kms)
    seen, marker = [], None
    while True:
        args = {"Limit": 2} if marker is None else {"Limit": 2, "Marker": marker}
        page = kms.list_keys(**args)
        assert len(page["Keys"]) <= 2, page
        seen += [k["KeyId"] for k in page["Keys"]]
        if not page["Truncated"]:
            break
        marker = page["NextMarker"]
    assert len(seen) == len(set(seen)) and len(seen) >= 3, seen
    assert set(seen) == {k["KeyId"] for k in kms.list_keys(Limit=1000)["Keys"]}



# -------------------------------------------------------- boto3: asymmetric, checked by openssl


def openssl(*args, data=None):
    proc = subprocess.run(["openssl", *args], input=data, capture_output=True, timeout=30)
    if proc.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)}: {proc.stderr.decode()}")
    return proc.stdout


def write_tmp(ctx, name, data):
    path = os.path.join(ctx["tmp"], name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def der_public_to_pem(ctx, name, der):
    path = write_tmp(ctx, name + ".der", der)
    pem = os.path.join(ctx["tmp"], name + ".pem")
    openssl("pkey", "-pubin", "-inform", "DER", "-in", path, "-out", pem)
    return pem


@check("boto3: GenerateDataKeyPair private key matches its public key (openssl)")
def case_data_key_pair(kms, ctx):
    key = shared_key(kms, "sym")
    out = kms.generate_data_key_pair(KeyId=key, KeyPairSpec="ECC_NIST_P256")
    assert out["KeyPairSpec"] == "ECC_NIST_P256" and key in out["KeyId"], out.keys()
    priv = write_tmp(ctx, "pair-priv.der", out["PrivateKeyPlaintext"])
    derived = openssl("pkey", "-inform", "DER", "-in", priv, "-pubout", "-outform", "DER")
    assert derived == out["PublicKey"]
    blob = out["PrivateKeyCiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == out["PrivateKeyPlaintext"]


@check("boto3: GenerateDataKeyPairWithoutPlaintext private key decrypts and matches (openssl)")
def case_data_key_pair_without_plaintext(kms, ctx):
    key = shared_key(kms, "sym")
    out = kms.generate_data_key_pair_without_plaintext(KeyId=key, KeyPairSpec="RSA_2048")
    assert "PrivateKeyPlaintext" not in out and out["KeyPairSpec"] == "RSA_2048", out.keys()
    priv_der = kms.decrypt(CiphertextBlob=out["PrivateKeyCiphertextBlob"])["Plaintext"]
    priv = write_tmp(ctx, "pair2-priv.der", priv_der)
    derived = openssl("pkey", "-inform", "DER", "-in", priv, "-pubout", "-outform", "DER")
    assert derived == out["PublicKey"]


def rsa_key(kms, usage):
    return new_key(kms, KeySpec="RSA_2048", KeyUsage=usage)


@check("boto3: GetPublicKey shape for an RSA SIGN_VERIFY key")
def case_get_public_key(kms, _):
    key = shared_key(kms, "rsa_sign")
    out = kms.get_public_key(KeyId=key)
    assert out["KeySpec"] == "RSA_2048" and out["KeyUsage"] == "SIGN_VERIFY", out
    assert "RSASSA_PSS_SHA_256" in out["SigningAlgorithms"], out
    assert "RSASSA_PKCS1_V1_5_SHA_256" in out["SigningAlgorithms"], out
    assert out["PublicKey"][:1] == b"\x30" and len(out["PublicKey"]) > 250


@check("boto3: RSASSA_PSS_SHA_256 signature verifies in the server and with openssl")
def case_rsa_pss(kms, ctx):
    key = shared_key(kms, "rsa_sign")
    sig = kms.sign(KeyId=key, Message=b"pss msg", SigningAlgorithm="RSASSA_PSS_SHA_256")["Signature"]
    assert kms.verify(KeyId=key, Message=b"pss msg", Signature=sig,
                      SigningAlgorithm="RSASSA_PSS_SHA_256")["SignatureValid"] is True
    pem = der_public_to_pem(ctx, "pss", kms.get_public_key(KeyId=key)["PublicKey"])
    msg = write_tmp(ctx, "pss.msg", b"pss msg")
    sig_path = write_tmp(ctx, "pss.sig", sig)
    out = openssl("dgst", "-sha256", "-verify", pem, "-sigopt", "rsa_padding_mode:pss",
                  "-sigopt", "rsa_pss_saltlen:32", "-signature", sig_path, msg)
    assert b"Verified OK" in out, out
    bad = bytes([sig[0] ^ 1]) + sig[1:]
    assert error_code(kms.verify, KeyId=key, Message=b"pss msg", Signature=bad,
                      SigningAlgorithm="RSASSA_PSS_SHA_256") == "KMSInvalidSignatureException"


@check("boto3: RSASSA_PKCS1_V1_5_SHA_256 signature verifies with openssl pkeyutl")
def case_rsa_pkcs1(kms, ctx):
    key = shared_key(kms, "rsa_sign")
    sig = kms.sign(KeyId=key, Message=b"pkcs1 msg",
                   SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")["Signature"]
    assert kms.verify(KeyId=key, Message=b"pkcs1 msg", Signature=sig,
                      SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")["SignatureValid"] is True
    pem = der_public_to_pem(ctx, "pkcs1", kms.get_public_key(KeyId=key)["PublicKey"])
    digest = write_tmp(ctx, "pkcs1.dgst", hashlib.sha256(b"pkcs1 msg").digest())
    sig_path = write_tmp(ctx, "pkcs1.sig", sig)
    out = openssl("pkeyutl", "-verify", "-pubin", "-inkey", pem, "-in", digest,
                  "-sigfile", sig_path, "-pkeyopt", "digest:sha256")
    assert b"Signature Verified Successfully" in out, out


@check("boto3: RSAES_OAEP_SHA_256 ciphertext made by openssl pkeyutl decrypts in the server")
def case_rsa_oaep(kms, ctx):
    key = rsa_key(kms, "ENCRYPT_DECRYPT")
    pem = der_public_to_pem(ctx, "oaep", kms.get_public_key(KeyId=key)["PublicKey"])
    plain = write_tmp(ctx, "oaep.in", b"outside secret")
    blob = openssl("pkeyutl", "-encrypt", "-pubin", "-inkey", pem, "-in", plain,
                   "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256",
                   "-pkeyopt", "rsa_mgf1_md:sha256")
    out = kms.decrypt(KeyId=key, CiphertextBlob=blob, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    assert out["Plaintext"] == b"outside secret"
    inside = kms.encrypt(KeyId=key, Plaintext=b"inside",
                         EncryptionAlgorithm="RSAES_OAEP_SHA_256")["CiphertextBlob"]
    assert len(inside) == 256
    assert kms.decrypt(KeyId=key, CiphertextBlob=inside,
                       EncryptionAlgorithm="RSAES_OAEP_SHA_256")["Plaintext"] == b"inside"


# ------------------------------------------------------------------- boto3: rotation

@check("boto3: Enable/DisableKeyRotation and GetKeyRotationStatus")
def case_rotation_flags(kms, _):
    key = new_key(kms)
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
    kms.enable_key_rotation(KeyId=key)
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    kms.disable_key_rotation(KeyId=key)
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
    asym = shared_key(kms, "rsa_sign")
    assert error_code(kms.enable_key_rotation, KeyId=asym) == "UnsupportedOperationException"


@check("boto3: RotateKeyOnDemand is listed by ListKeyRotations and old ciphertexts decrypt")
def case_rotate_on_demand(kms, _):
    key = new_key(kms)
    old = kms.encrypt(KeyId=key, Plaintext=b"before")["CiphertextBlob"]
    assert key in kms.rotate_key_on_demand(KeyId=key)["KeyId"]
    rotations = kms.list_key_rotations(KeyId=key)["Rotations"]
    assert len(rotations) == 1 and rotations[0]["RotationType"] == "ON_DEMAND", rotations
    new = kms.encrypt(KeyId=key, Plaintext=b"after")["CiphertextBlob"]
    assert new != old
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"before"
    assert kms.decrypt(CiphertextBlob=new)["Plaintext"] == b"after"


# ------------------------------------------------------------- boto3: tags and policies

@check("boto3: TagResource, ListResourceTags and UntagResource")
def case_tags(kms, _):
    key = new_key(kms, Tags=[{"TagKey": "a", "TagValue": "1"}])
    kms.tag_resource(KeyId=key, Tags=[{"TagKey": "b", "TagValue": "2"}])
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key)["Tags"]}
    assert tags == {"a": "1", "b": "2"}, tags
    kms.untag_resource(KeyId=key, TagKeys=["a"])
    tags = kms.list_resource_tags(KeyId=key)["Tags"]
    assert tags == [{"TagKey": "b", "TagValue": "2"}], tags


POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "kms:*", "Resource": "*"}]}


@check("boto3: GetKeyPolicy, PutKeyPolicy and ListKeyPolicies")
def case_policy(kms, _):
    key = new_key(kms)
    assert kms.list_key_policies(KeyId=key)["PolicyNames"] == ["default"]
    default = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    assert default["Statement"], default
    doc = json.dumps(POLICY, indent=1)
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=doc)
    assert kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"] == doc


@check("boto3: PutKeyPolicy with malformed JSON is MalformedPolicyDocumentException")
def case_policy_malformed(kms, _):
    key = shared_key(kms, "sym")
    assert error_code(kms.put_key_policy, KeyId=key, PolicyName="default",
                      Policy='{"Statement": [') == "MalformedPolicyDocumentException"


# ------------------------------------------------------------------------ boto3: grants

GRANTEE = "arn:aws:iam::111122223333:role/it-grantee"


@check("boto3: CreateGrant is listed by ListGrants and RevokeGrant removes it")
def case_grant_revoke(kms, _):
    key = new_key(kms)
    out = kms.create_grant(KeyId=key, GranteePrincipal=GRANTEE, Operations=["Encrypt", "Decrypt"],
                           Name="it-grant")
    assert out["GrantId"] and out["GrantToken"], out
    grants = kms.list_grants(KeyId=key)["Grants"]
    assert [g["GrantId"] for g in grants] == [out["GrantId"]], grants
    assert grants[0]["GranteePrincipal"] == GRANTEE
    assert sorted(grants[0]["Operations"]) == ["Decrypt", "Encrypt"], grants
    kms.revoke_grant(KeyId=key, GrantId=out["GrantId"])
    assert kms.list_grants(KeyId=key)["Grants"] == []
    assert error_code(kms.revoke_grant, KeyId=key, GrantId=out["GrantId"]) == "NotFoundException"


@check("boto3: RetireGrant by KeyId and GrantId removes the grant")
def case_grant_retire(kms, _):
    key = new_key(kms)
    arn = kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"]
    out = kms.create_grant(KeyId=key, GranteePrincipal=GRANTEE, Operations=["Encrypt"],
                           RetiringPrincipal="arn:aws:iam::111122223333:root")
    kms.retire_grant(KeyId=arn, GrantId=out["GrantId"])
    assert kms.list_grants(KeyId=key)["Grants"] == []


# ----------------------------------------------------------------------- boto3: validation

@check("boto3: Encrypt with a SIGN_VERIFY key is InvalidKeyUsageException")
def case_invalid_key_usage(kms, _):
    key = shared_key(kms, "ecc_sign")
    assert error_code(kms.encrypt, KeyId=key, Plaintext=b"a") == "InvalidKeyUsageException"


@check("boto3: GenerateDataKey with both KeySpec and NumberOfBytes is ValidationException")
def case_gdk_both(kms, _):
    key = shared_key(kms, "sym")
    assert error_code(kms.generate_data_key, KeyId=key, KeySpec="AES_256",
                      NumberOfBytes=32) == "ValidationException"


@check("boto3: GenerateDataKey NumberOfBytes 2000 is ValidationException")
def case_gdk_too_many(kms, _):
    key = shared_key(kms, "sym")
    assert error_code(kms.generate_data_key, KeyId=key,
                      NumberOfBytes=2000) == "ValidationException"


@check("boto3: Encrypt of 4097 bytes is ValidationException")
def case_encrypt_too_big(kms, _):
    key = shared_key(kms, "sym")
    assert error_code(kms.encrypt, KeyId=key, Plaintext=b"x" * 4097) == "ValidationException"
    kms.encrypt(KeyId=key, Plaintext=b"x" * 4096)


# ---------------------------------------------------------- raw HTTP, signed with SigV4


def raw_call(ctx, target, body):
    """POSTs `body` signed with the default account's credentials; returns (status, json)."""
    url = ctx["url"] + "/"
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target}
    request = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body, headers=headers)
    creds = botocore.credentials.Credentials(ctx["akid"], ctx["secret"])
    botocore.auth.SigV4Auth(creds, "kms", "us-east-1").add_auth(request)
    conn = http.client.HTTPConnection("127.0.0.1", int(ctx["url"].rsplit(":", 1)[1]), timeout=30)
    try:
        conn.request("POST", "/", body=body, headers=dict(request.headers.items()))
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


@check("raw SigV4: a body that is not JSON is SerializationException")
def case_raw_bad_json(_, ctx):
    status, body = raw_call(ctx, "TrentService.ListKeys", b"{not json")
    assert status == 400 and body["__type"] == "SerializationException", (status, body)


@check("raw SigV4: an unknown operation is UnknownOperationException")
def case_raw_unknown_op(_, ctx):
    status, body = raw_call(ctx, "TrentService.MakeCoffee", b"{}")
    assert status == 400 and body["__type"] == "UnknownOperationException", (status, body)


@check("raw SigV4: a body over 1 MiB is 413 RequestEntityTooLargeException")
def case_raw_oversize(_, ctx):
    payload = json.dumps({"Plaintext": "A" * (1024 * 1024 + 16)}).encode()
    status, body = raw_call(ctx, "TrentService.Encrypt", payload)
    assert status == 413 and body["__type"] == "RequestEntityTooLargeException", (status, body)


BOTO3_CASES = [case_create_describe_list, case_encrypt_decrypt, case_generate_data_key,
               case_reencrypt, case_alias, case_incorrect_key, case_tampered, case_key_states,
               case_not_found, case_random, case_sign_verify, case_mac, case_bad_secret,
               case_unknown_key, case_region, case_update_description, case_enable_disable,
               case_schedule_deletion, case_pending_deletion_decrypt, case_cancel_deletion,
               case_alias_reserved, case_update_delete_alias, case_list_aliases,
               case_list_keys_pages, case_data_key_pair, case_data_key_pair_without_plaintext,
               case_get_public_key, case_rsa_pss, case_rsa_pkcs1, case_rsa_oaep,
               case_rotation_flags, case_rotate_on_demand, case_tags, case_policy,
               case_policy_malformed, case_grant_revoke, case_grant_retire,
               case_invalid_key_usage, case_gdk_both, case_gdk_too_many, case_encrypt_too_big,
               case_raw_bad_json, case_raw_unknown_op, case_raw_oversize]

# --------------------------------------------------------------------------- AWS CLI cases


def aws(ctx, *args, expect_ok=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=ctx["credentials"], AWS_CONFIG_FILE=os.devnull,
               AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="5", AWS_RETRY_MODE="standard",
               AWS_PAGER="")
    proc = subprocess.run([ctx["aws"], "kms", *args, "--endpoint-url", ctx["url"],
                           "--output", "json"], env=env, capture_output=True, text=True,
                          timeout=120)
    if expect_ok and proc.returncode != 0:
        raise AssertionError(f"aws kms {' '.join(args)} failed: {proc.stderr}")
    return proc


@check("aws cli: create-key, list-keys, encrypt and decrypt with the written credentials")
def case_cli_roundtrip(_, ctx):
    key = json.loads(aws(ctx, "create-key").stdout)["KeyMetadata"]["KeyId"]
    assert key in aws(ctx, "list-keys").stdout
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b"secret data")
    enc = json.loads(aws(ctx, "encrypt", "--key-id", key, "--plaintext", f"fileb://{f.name}").stdout)
    blob = os.path.join(os.path.dirname(f.name), os.path.basename(f.name) + ".blob")
    with open(blob, "wb") as out:
        out.write(base64.b64decode(enc["CiphertextBlob"]))
    dec = json.loads(aws(ctx, "decrypt", "--ciphertext-blob", f"fileb://{blob}").stdout)
    assert base64.b64decode(dec["Plaintext"]) == b"secret data"
    os.unlink(f.name)
    os.unlink(blob)


@check("aws cli: an unknown key fails with NotFoundException")
def case_cli_not_found(_, ctx):
    proc = aws(ctx, "describe-key", "--key-id", "alias/none", expect_ok=False)
    assert proc.returncode != 0
    assert "(NotFoundException)" in proc.stderr, proc.stderr


@check("aws cli: describe-key shows the key's state")
def case_cli_describe(kms, ctx):
    key = new_key(kms, Description="cli")
    meta = json.loads(aws(ctx, "describe-key", "--key-id", key).stdout)["KeyMetadata"]
    assert meta["KeyId"] == key and meta["KeyState"] == "Enabled", meta
    assert meta["Description"] == "cli", meta


@check("aws cli: create-alias then list-aliases --key-id shows it")
def case_cli_alias(kms, ctx):
    key = new_key(kms)
    aws(ctx, "create-alias", "--alias-name", "alias/it-cli", "--target-key-id", key)
    aliases = json.loads(aws(ctx, "list-aliases", "--key-id", key).stdout)["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/it-cli"], aliases


@check("aws cli: schedule-key-deletion with 3 days fails with ValidationException")
def case_cli_schedule_too_soon(kms, ctx):
    key = new_key(kms)
    bad = aws(ctx, "schedule-key-deletion", "--key-id", key, "--pending-window-in-days", "3",
              expect_ok=False)
    assert bad.returncode != 0 and "(ValidationException)" in bad.stderr, bad.stderr


@check("aws cli: schedule-key-deletion with 7 days makes the key PendingDeletion")
def case_cli_schedule_deletion(kms, ctx):
    key = new_key(kms)
    out = json.loads(aws(ctx, "schedule-key-deletion", "--key-id", key,
                         "--pending-window-in-days", "7").stdout)
    assert key in out["KeyId"] and "DeletionDate" in out, out
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"


CLI_CASES = [case_cli_roundtrip, case_cli_not_found, case_cli_describe, case_cli_alias,
             case_cli_schedule_too_soon, case_cli_schedule_deletion]


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    aws_path = shutil.which("aws")
    if boto3 is None:
        print("=" * 70 + "\nSKIPPED: boto3 is not installed; boto3 cases not run\n" + "=" * 70)
    if aws_path is None:
        print("=" * 70 + "\nSKIPPED: the aws CLI is not installed; CLI cases not run\n" + "=" * 70)
    if boto3 is None and aws_path is None:
        return 0
    with tempfile.TemporaryDirectory(prefix="kms-sdk-") as tmp:
        data_dir = os.path.join(tmp, "data")
        server = Server(binary, data_dir)
        try:
            creds = configparser.ConfigParser()
            creds.read(os.path.join(data_dir, "credentials"))
            ctx = {"url": server.url, "aws": aws_path, "tmp": tmp,
                   "credentials": os.path.join(data_dir, "credentials"),
                   "akid": creds["default"]["aws_access_key_id"],
                   "secret": creds["default"]["aws_secret_access_key"]}
            mode = os.stat(ctx["credentials"]).st_mode & 0o777
            if mode != 0o600:
                FAILURES.append(f"credentials file mode {oct(mode)}")
            kms = make_client(ctx["url"], ctx["akid"], ctx["secret"]) if boto3 else None
            # The AWS CLI cases are slow to start (a Python process each), so they run in
            # parallel threads beside the boto3 cases; every case uses its own keys and aliases.
            cli_cases = CLI_CASES if boto3 else [case_cli_roundtrip, case_cli_not_found]
            cli = [threading.Thread(target=case, args=(kms, ctx))
                   for case in (cli_cases if aws_path else [])]
            for thread in cli:
                thread.start()
            for case in BOTO3_CASES if boto3 else []:
                case(kms, ctx)
            for thread in cli:
                thread.join(timeout=110)
        finally:
            rc = server.stop()
            if rc != 0:
                FAILURES.append(f"server exited {rc} after SIGTERM")
            log = "".join(server.lines)
            if "op=CreateKey account=111122223333" not in log:
                FAILURES.append("request log line missing")
            if "stopped" not in log:
                FAILURES.append("no graceful-shutdown message")
    print(f"\n{len(PASSES)} passed, {len(FAILURES)} failed")
    for name in FAILURES:
        print(f"  FAILED: {name}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
