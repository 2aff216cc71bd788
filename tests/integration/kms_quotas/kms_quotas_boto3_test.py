#!/usr/bin/env python3
"""boto3 against the local KMS's quotas and faults (loopback only, every load bounded in time).

Usage: kms_quotas_boto3_test.py PATH/TO/kms_quota_test_server
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

import boto3
import botocore.config
import botocore.exceptions

SERVER = None
AKID = "AKIAQUOTASBOTO00001"
SECRET = "boto/secret/00000000000000000000000000000"
ACCOUNT = "111122223333"


class Server:
    """A quota_test_server with the given quota/fault config, on 127.0.0.1:<free port>."""

    def __init__(self, extra):
        self.dir = tempfile.mkdtemp(prefix="kms-quotas-boto3-")
        config = dict(extra)
        config["accounts"] = [{"id": ACCOUNT, "access_keys": [
            {"access_key_id": AKID, "secret_access_key": SECRET}]}]
        path = os.path.join(self.dir, "config.json")
        with open(path, "w") as f:
            json.dump(config, f)
        self.proc = subprocess.Popen([SERVER, path, os.path.join(self.dir, "data")],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "PORT":
            raise RuntimeError("server did not start")
        self.url = "http://127.0.0.1:" + line[1]

    def client(self, mode="standard", attempts=1, read_timeout=10):
        cfg = botocore.config.Config(retries={"mode": mode, "max_attempts": attempts},
                                     read_timeout=read_timeout, connect_timeout=2,
                                     max_pool_connections=16)
        return boto3.client("kms", region_name="us-east-1", endpoint_url=self.url,
                            aws_access_key_id=AKID, aws_secret_access_key=SECRET, config=cfg)

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


class StandardModeTest(unittest.TestCase):
    def test_standard_mode_with_one_attempt_sees_throttling_exception(self):
        server = Server({"quotas": {"overrides": [{"quota": "ListKeys", "value": 2}]}})
        try:
            kms = server.client("standard", 1)
            outcomes = [error_of(kms.list_keys) for _ in range(10)]
            self.assertIn(("ThrottlingException", 400), outcomes)
            self.assertIn((None, 200), outcomes)
        finally:
            server.close()


class AdaptiveModeTest(unittest.TestCase):
    """boto3's adaptive retry mode in closed loops of GenerateDataKey against a 20/s quota."""

    QUOTA = 20

    def run_loops(self, threads_count, seconds, measured_seconds):
        """Runs the loops; returns (accepted/s over the last `measured_seconds`, failures)."""
        server = Server({"quotas": {"overrides": [
            {"quota": "CryptographicOperationsSymmetric", "value": self.QUOTA}]}})
        try:
            key = server.client().create_key()["KeyMetadata"]["KeyId"]
            kms = server.client("adaptive", 10)
            done, failures = [], []
            deadline = time.time() + seconds
            lock = threading.Lock()

            def worker():
                while time.time() < deadline:
                    try:
                        kms.generate_data_key(KeyId=key, KeySpec="AES_256")
                        with lock:
                            done.append(time.time())
                    except botocore.exceptions.ClientError as e:
                        with lock:
                            failures.append(e.response["Error"]["Code"])

            threads = [threading.Thread(target=worker) for _ in range(threads_count)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=seconds + 30)
            rate = len([t for t in done if t >= deadline - measured_seconds]) / measured_seconds
            print("adaptive boto3, %d thread(s): %.1f accepted/s against a %d/s quota, %d failed"
                  % (threads_count, rate, self.QUOTA, len(failures)))
            return rate, failures
        finally:
            server.close()

    def test_one_loop_converges_to_the_quota_without_exhausting_retries(self):
        # After the first throttle CUBIC restarts low and climbs back within a few seconds.
        rate, failures = self.run_loops(1, 10, 5)
        self.assertEqual(failures, [])
        self.assertGreaterEqual(rate, self.QUOTA * 0.6)
        self.assertLessEqual(rate, self.QUOTA * 1.05)

    def test_four_loops_sharing_a_client_stay_under_the_quota_without_failing(self):
        # The throttles of one over-quota second reach the shared limiter together and each cuts
        # the rate by 0.7, so several loops use less of the quota (docs/performance.md).
        rate, failures = self.run_loops(4, 8, 4)
        self.assertEqual(failures, [])
        self.assertGreaterEqual(rate, self.QUOTA * 0.25)
        self.assertLessEqual(rate, self.QUOTA * 1.05)


class FaultTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server({})
        cls.kms = cls.server.client("standard", 1, read_timeout=1)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.server.admin("DELETE", "/_envelope/faults")

    def fault(self, **rule):
        self.server.admin("POST", "/_envelope/faults", rule)

    def test_internal_fault_is_500_kms_internal_exception(self):
        self.fault(kind="internal", operation="ListKeys")
        self.assertEqual(error_of(self.kms.list_keys), ("KMSInternalException", 500))

    def test_unavailable_fault_is_503_dependency_timeout_exception(self):
        self.fault(kind="unavailable", operation="ListKeys")
        self.assertEqual(error_of(self.kms.list_keys), ("DependencyTimeoutException", 503))

    def test_throttle_fault_is_throttling_exception(self):
        self.fault(kind="throttle", operation="ListKeys")
        self.assertEqual(error_of(self.kms.list_keys), ("ThrottlingException", 400))

    def test_latency_fault_delays_the_call(self):
        self.fault(kind="latency", ms=300, operation="ListKeys")
        start = time.monotonic()
        self.kms.list_keys()
        self.assertGreaterEqual(time.monotonic() - start, 0.3)

    def test_reset_fault_is_a_connection_error(self):
        self.fault(kind="reset", operation="ListKeys")
        with self.assertRaises(botocore.exceptions.BotoCoreError):
            self.kms.list_keys()

    def test_hang_is_cut_off_by_the_read_timeout(self):
        self.fault(kind="hang", ms=20000, operation="ListKeys")
        start = time.monotonic()
        with self.assertRaises(botocore.exceptions.ReadTimeoutError):
            self.kms.list_keys()
        self.assertLess(time.monotonic() - start, 5)


if __name__ == "__main__":
    SERVER = sys.argv.pop(1)
    unittest.main(verbosity=2)
