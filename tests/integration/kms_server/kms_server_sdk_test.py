#!/usr/bin/env python3
"""boto3 and the AWS CLI against `envelope kms serve` on loopback (ctest -L integration).

Usage: kms_server_sdk_test.py PATH/TO/envelope

Starts the server on 127.0.0.1 with an ephemeral port and a fresh data directory (so it creates
its default account and DATA_DIR/credentials), then drives the main operations and checks the
exact error `__type` names. Prints SKIPPED loudly when neither boto3 nor the aws CLI is present.
"""
import base64
import configparser
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
    import botocore.config
    import botocore.exceptions
except ImportError:  # reported below
    boto3 = None

FAILURES = []
PASSES = []


def check(name):
    """Decorator: runs a case, records pass/fail with the traceback."""
    def wrap(fn):
        def run(*args):
            try:
                fn(*args)
                PASSES.append(name)
                print(f"PASS {name}")
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


def error_code(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return None


def make_client(url, akid, secret, region="us-east-1"):
    session = boto3.session.Session(aws_access_key_id=akid, aws_secret_access_key=secret,
                                    region_name=region)
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
    return session.client("kms", endpoint_url=url, config=config)


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
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"hello", EncryptionContext={"a": "b"})["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})
    assert out["Plaintext"] == b"hello" and key in out["KeyId"], out
    assert error_code(kms.decrypt, CiphertextBlob=blob,
                      EncryptionContext={"a": "c"}) == "InvalidCiphertextException"


@check("boto3: GenerateDataKey and WithoutPlaintext decrypt to the same key")
def case_generate_data_key(kms, _):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    gdk = kms.generate_data_key(KeyId=key, KeySpec="AES_256")
    assert len(gdk["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=gdk["CiphertextBlob"])["Plaintext"] == gdk["Plaintext"]
    wp = kms.generate_data_key_without_plaintext(KeyId=key, NumberOfBytes=16)
    assert "Plaintext" not in wp
    assert len(kms.decrypt(CiphertextBlob=wp["CiphertextBlob"])["Plaintext"]) == 16


@check("boto3: ReEncrypt moves a ciphertext to another key")
def case_reencrypt(kms, _):
    a = kms.create_key()["KeyMetadata"]["KeyId"]
    b = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=a, Plaintext=b"x")["CiphertextBlob"]
    moved = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b)["CiphertextBlob"]
    out = kms.decrypt(CiphertextBlob=moved)
    assert out["Plaintext"] == b"x" and b in out["KeyId"], out


@check("boto3: aliases resolve for Encrypt and are listed")
def case_alias(kms, _):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/it-alias", TargetKeyId=key)
    blob = kms.encrypt(KeyId="alias/it-alias", Plaintext=b"y")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"y"
    names = [a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    assert "alias/it-alias" in names, names
    assert error_code(kms.create_alias, AliasName="alias/it-alias",
                      TargetKeyId=key) == "AlreadyExistsException"


@check("boto3: wrong KeyId on Decrypt is IncorrectKeyException")
def case_incorrect_key(kms, _):
    a = kms.create_key()["KeyMetadata"]["KeyId"]
    b = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=a, Plaintext=b"z")["CiphertextBlob"]
    assert error_code(kms.decrypt, CiphertextBlob=blob, KeyId=b) == "IncorrectKeyException"


@check("boto3: a tampered blob is InvalidCiphertextException")
def case_tampered(kms, _):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = bytearray(kms.encrypt(KeyId=key, Plaintext=b"z")["CiphertextBlob"])
    blob[-1] ^= 1
    assert error_code(kms.decrypt, CiphertextBlob=bytes(blob)) == "InvalidCiphertextException"


@check("boto3: disabled and pending-deletion keys refuse Encrypt")
def case_key_states(kms, _):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
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
    key = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    sig = kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    assert kms.verify(KeyId=key, Message=b"m", Signature=sig,
                      SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"] is True
    assert error_code(kms.verify, KeyId=key, Message=b"n", Signature=sig,
                      SigningAlgorithm="ECDSA_SHA_256") == "KMSInvalidSignatureException"


@check("boto3: HMAC GenerateMac and VerifyMac")
def case_mac(kms, _):
    key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
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
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    other = make_client(ctx["url"], ctx["akid"], ctx["secret"], region="eu-west-1")
    assert error_code(other.describe_key, KeyId=key) == "NotFoundException"


BOTO3_CASES = [case_create_describe_list, case_encrypt_decrypt, case_generate_data_key,
               case_reencrypt, case_alias, case_incorrect_key, case_tampered, case_key_states,
               case_not_found, case_random, case_sign_verify, case_mac, case_bad_secret,
               case_unknown_key, case_region]

# --------------------------------------------------------------------------- AWS CLI cases


def aws(ctx, *args, expect_ok=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=ctx["credentials"], AWS_CONFIG_FILE=os.devnull,
               AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1", AWS_RETRY_MODE="standard",
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


CLI_CASES = [case_cli_roundtrip, case_cli_not_found]


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
            ctx = {"url": server.url, "aws": aws_path,
                   "credentials": os.path.join(data_dir, "credentials"),
                   "akid": creds["default"]["aws_access_key_id"],
                   "secret": creds["default"]["aws_secret_access_key"]}
            mode = os.stat(ctx["credentials"]).st_mode & 0o777
            if mode != 0o600:
                FAILURES.append(f"credentials file mode {oct(mode)}")
            kms = make_client(ctx["url"], ctx["akid"], ctx["secret"]) if boto3 else None
            for case in (BOTO3_CASES if boto3 else []) + (CLI_CASES if aws_path else []):
                case(kms, ctx)
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
