#!/usr/bin/env python3
"""Dual-stack for real: a host that has only IPv6.

A network namespace made for the test has loopback with ::1 and no IPv4 address at all; its
/etc/hosts (ip netns exec bind-mounts /etc/netns/NAME/hosts) maps the dual-stack KMS host name
kms.us-east-1.api.aws to ::1 and nothing else, and the local KMS serves HTTPS on [::1]:443 with
a certificate from a throwaway CA. Inside the namespace, with no endpoint URL configured:
  - AWS_USE_DUALSTACK_ENDPOINT=true: envelope encrypt and decrypt reach the KMS over IPv6;
  - without it the client resolves kms.us-east-1.amazonaws.com, which this host cannot reach,
    and fails within its connect timeout with exit 1 and one line naming that host.

Usage: dualstack_test.py ENVELOPE_BINARY. Needs root (to make a namespace); anywhere that forbids
namespaces it prints SKIPPED and exits 77, which ctest reports as skipped.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ENVELOPE = None
SOURCE_DIR = pathlib.Path(__file__).resolve().parents[3]
SKIP_CODE = 77
DUALSTACK_HOST = "kms.us-east-1.api.aws"
REGIONAL_HOST = "kms.us-east-1.amazonaws.com"


def run(*args, timeout=30, **kwargs):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, **kwargs)


class Namespace:
    """An IPv6-only network namespace and its hosts file; remove() undoes both."""

    def __init__(self):
        self.name = f"envelope-ds-{os.getpid()}"
        self.etc = pathlib.Path("/etc/netns") / self.name

    def create(self):
        made = run("ip", "netns", "add", self.name)
        if made.returncode != 0:
            return made.stderr.strip() or "ip netns add failed"
        self.etc.mkdir(parents=True, exist_ok=True)
        (self.etc / "hosts").write_text(f"::1 localhost {DUALSTACK_HOST}\n")
        for step in (["link", "set", "lo", "up"], ["addr", "del", "127.0.0.1/8", "dev", "lo"]):
            done = run("ip", "-n", self.name, *step)
            if done.returncode != 0:
                return f"ip {' '.join(step)}: {done.stderr.strip()}"
        return None

    def exec_args(self, *args):
        return ["ip", "netns", "exec", self.name, *args]

    def remove(self):
        run("ip", "netns", "del", self.name)
        shutil.rmtree(self.etc, ignore_errors=True)


class DualStackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="envelope-dualstack-"))
        cls.ns = Namespace()
        cls.server = None
        try:
            cls._start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _start(cls):
        reason = cls.ns.create()
        if reason is not None:
            raise RuntimeError("network namespace: " + reason)
        certs = cls.tmp / "tls"
        subprocess.run([str(SOURCE_DIR / "tests/testing/make_test_certs.sh"), str(certs)],
                       check=True, timeout=60)
        cls.ca = certs / "ca.pem"
        data = cls.tmp / "data"
        cls.server_log = open(cls.tmp / "server.log", "w")
        cls.server = subprocess.Popen(
            cls.ns.exec_args(ENVELOPE, "kms", "serve", "--data-dir", str(data),
                             "--listen", "[::1]:443", "--tls-cert", str(certs / "server.pem"),
                             "--tls-key", str(certs / "server.key")),
            stdout=subprocess.DEVNULL, stderr=cls.server_log)
        credentials = data / "credentials"
        deadline = time.monotonic() + 20
        while not credentials.exists() or "serving on" not in (cls.tmp / "server.log").read_text():
            if cls.server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start: " + (cls.tmp / "server.log").read_text())
            time.sleep(0.05)
        home = cls.tmp / "home"
        home.mkdir()
        cls.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),  # no ~/.aws of the machine's user
            "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
            "AWS_CONFIG_FILE": str(home / "absent-config"),
            "AWS_REGION": "us-east-1",
            "AWS_CA_BUNDLE": str(cls.ca),
        }
        created = cls.envelope("kms", "create-key", "--description", "dual-stack test",
                               dualstack=True)
        if created.returncode != 0:
            raise RuntimeError("create-key failed: " + created.stderr)
        cls.key_arn = json.loads(created.stdout)["KeyMetadata"]["Arn"]

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.terminate()
            try:
                cls.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait(timeout=10)
            cls.server_log.close()
        cls.ns.remove()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def envelope(cls, *args, dualstack, timeout=30):
        env = dict(cls.env)
        if dualstack:
            env["AWS_USE_DUALSTACK_ENDPOINT"] = "true"
        return run(*cls.ns.exec_args(ENVELOPE, *args), env=env, timeout=timeout)

    def test_namespace_has_no_ipv4(self):
        addrs = run("ip", "-n", self.ns.name, "-4", "addr", "show").stdout
        self.assertNotIn("inet ", addrs)

    def test_encrypt_and_decrypt_reach_the_kms_over_ipv6_with_dualstack(self):
        plain = self.tmp / "plain.txt"
        plain.write_bytes(b"only IPv6 here\n" * 100)
        encrypted, decrypted = self.tmp / "plain.txt.encrypted", self.tmp / "plain.out"
        enc = self.envelope("encrypt", "-v", "-i", str(plain), "-o", str(encrypted),
                            "--wrapping-keys", f"key={self.key_arn}", dualstack=True)
        self.assertEqual(enc.returncode, 0, enc.stderr)
        self.assertIn(DUALSTACK_HOST, enc.stderr)  # the attempt log names host and address
        self.assertIn("::1", enc.stderr)
        dec = self.envelope("decrypt", "-i", str(encrypted), "-o", str(decrypted),
                            "--wrapping-keys", f"key={self.key_arn}", dualstack=True)
        self.assertEqual(dec.returncode, 0, dec.stderr)
        self.assertEqual(decrypted.read_bytes(), plain.read_bytes())

    def test_boto3_with_its_own_dualstack_setting_reaches_the_same_server(self):
        script = ("import boto3, botocore.config as c;"
                  "k = boto3.client('kms', config=c.Config(use_dualstack_endpoint=True));"
                  f"print(k.describe_key(KeyId='{self.key_arn}')['KeyMetadata']['Arn'])")
        env = dict(self.env, AWS_DEFAULT_REGION="us-east-1", PYTHONPATH=os.pathsep.join(sys.path))
        done = run(*self.ns.exec_args(sys.executable, "-c", script), env=env, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), self.key_arn)

    def test_without_dualstack_the_ipv4_only_name_fails_fast_and_clearly(self):
        plain = self.tmp / "other.txt"
        plain.write_bytes(b"x")
        out = self.tmp / "other.txt.encrypted"
        started = time.monotonic()
        enc = self.envelope("encrypt", "-i", str(plain), "-o", str(out), "--connect-timeout", "2",
                            "--operation-timeout", "5", "--wrapping-keys", f"key={self.key_arn}",
                            dualstack=False)
        elapsed = time.monotonic() - started
        self.assertEqual(enc.returncode, 1, enc.stderr)
        lines = enc.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, enc.stderr)
        self.assertIn(REGIONAL_HOST, lines[0])
        self.assertLess(elapsed, 10)
        self.assertFalse(out.exists())


def main():
    global ENVELOPE
    if len(sys.argv) < 2:
        sys.exit("usage: dualstack_test.py ENVELOPE_BINARY")
    ENVELOPE = os.path.abspath(sys.argv.pop(1))
    if shutil.which("ip") is None:
        print("SKIPPED: dual-stack test: the ip command (iproute2) is not installed", flush=True)
        sys.exit(SKIP_CODE)
    probe = Namespace()
    reason = probe.create()
    probe.remove()
    if reason is not None:
        print(f"SKIPPED: dual-stack test: this machine forbids network namespaces ({reason})",
              flush=True)
        sys.exit(SKIP_CODE)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
