#!/usr/bin/env python3
"""Crash test of the local KMS: durability of acknowledged writes across kill -9.

Starts `envelope kms serve` on a fresh data directory, runs a bounded load of CreateKey and
Encrypt from several threads (boto3, the server's generated credentials), kills the server with
SIGKILL in the middle of it, restarts it on the same directory, and checks that every key whose
CreateKey was acknowledged exists and every acknowledged ciphertext decrypts to its plaintext.
Usage: kms_crash_test.py ENVELOPE_BINARY
"""
import configparser
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError:
    boto3 = None

LOAD_THREADS = 4
MAX_OPS_PER_THREAD = 3000
KILL_AFTER_S = 2.0


def start(binary, data_dir):
    proc = subprocess.Popen([binary, "kms", "serve", "--listen", "127.0.0.1:0", "--data-dir",
                             data_dir], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, f"http://127.0.0.1:{m.group(1)}"
    proc.kill()
    raise RuntimeError("server did not start")


def client(url, data_dir):
    creds = configparser.ConfigParser()
    creds.read(os.path.join(data_dir, "credentials"))
    session = boto3.session.Session(
        aws_access_key_id=creds["default"]["aws_access_key_id"],
        aws_secret_access_key=creds["default"]["aws_secret_access_key"], region_name="us-east-1")
    config = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                    connect_timeout=2, read_timeout=5)
    return session.client("kms", endpoint_url=url, config=config)


def load(url, data_dir, stop, keys, blobs, lock, index):
    kms = client(url, data_dir)
    key = None
    for n in range(MAX_OPS_PER_THREAD):
        if stop.is_set():
            return
        try:
            if key is None or n % 10 == 0:
                key = kms.create_key(Description=f"crash-{index}-{n}")["KeyMetadata"]["KeyId"]
                with lock:
                    keys.append(key)
            plaintext = os.urandom(32)
            context = {"thread": str(index), "n": str(n)}
            blob = kms.encrypt(KeyId=key, Plaintext=plaintext,
                               EncryptionContext=context)["CiphertextBlob"]
            with lock:
                blobs.append((blob, plaintext, context))
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] == "ThrottlingException":
                time.sleep(0.05)  # the CreateKey quota: not acknowledged, try again later
                continue
            return
        except Exception:  # noqa: BLE001 - the server was killed: the load ends here
            return


def main():
    if boto3 is None:
        print("SKIPPED: boto3 is not installed")
        return 77
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="kms-crash-") as tmp:
        data_dir = os.path.join(tmp, "data")
        proc, url = start(binary, data_dir)
        keys, blobs, lock, stop = [], [], threading.Lock(), threading.Event()
        threads = [threading.Thread(target=load, args=(url, data_dir, stop, keys, blobs, lock, i))
                   for i in range(LOAD_THREADS)]
        for t in threads:
            t.start()
        time.sleep(KILL_AFTER_S)
        proc.send_signal(signal.SIGKILL)  # in the middle of the load
        proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        print(f"acknowledged before kill -9: {len(keys)} keys, {len(blobs)} ciphertexts")
        failures = []
        if not keys or not blobs:
            failures.append("the load acknowledged nothing before the kill")
        proc, url = start(binary, data_dir)
        try:
            kms = client(url, data_dir)
            for key in keys:
                try:
                    kms.describe_key(KeyId=key)
                except Exception as e:  # noqa: BLE001
                    failures.append(f"key {key} lost: {e}")
            for blob, plaintext, context in blobs:
                try:
                    out = kms.decrypt(CiphertextBlob=blob, EncryptionContext=context)["Plaintext"]
                    if out != plaintext:
                        failures.append("a ciphertext decrypted to the wrong plaintext")
                except Exception as e:  # noqa: BLE001
                    failures.append(f"a ciphertext no longer decrypts: {e}")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        for f in failures[:20]:
            print("FAIL:", f)
        checks = len(keys) + len(blobs)
        print(f"{checks - len(failures)} passed, {len(failures)} failed")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
