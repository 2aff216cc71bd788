#!/usr/bin/env python3
"""The `envelope` command with KMS keys: the embedded key store, `envelope kms serve` on the same
data directory, and interop with the esdk-js peer's KMS keyring through a local KMS server.

usage: cli_kms_integration_test.py PATH/TO/envelope
The peer is found through ENVELOPE_ESDK_JS (its esdk.mjs); tests that need it print SKIPPED.
"""
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import unittest

from cli_test_support import TempDirCase

ENVELOPE = None  # set from argv in __main__
DEFAULT_ALIAS = "alias/envelope-default"
ARN_RE = re.compile(r"arn:aws:kms:us-east-1:111122223333:key/[0-9a-f-]{36}")


class Fixture(TempDirCase):
    """A temporary directory, an environment without AWS configuration, and helpers."""

    TEMP_PREFIX = "envelope-kms-it-"

    def setUp(self):
        super().setUp()
        self.store = self.path("store")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("AWS_") and k not in ("XDG_DATA_HOME",)}
        self.env["HOME"] = self.path("home")  # no ~/.aws here
        self.env["ENVELOPE_DATA_DIR"] = self.store

    def run_envelope(self, *args, env=None, stdin=None):
        return subprocess.run([ENVELOPE, *args], input=stdin, capture_output=True, timeout=120,
                              env=env or self.env)

    def default_key_arn(self):
        """Encrypts once with the default key (creating it) and returns its key ARN."""
        src = self.write("seed", b"seed")
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", src + ".encrypted",
                                  "--metadata-output", self.path("seed.json")))
        with open(self.path("seed.json")) as f:
            info = json.loads(f.readline())["encrypted_data_keys"][0]["provider_info"]
        self.assertRegex(info, ARN_RE)
        return info


def first_edk_ciphertext(path):
    """The first EDK's ciphertext of a v2 message (header: version, suite, 32-byte message id,
    context, EDK count, then u16-length-prefixed provider id, info and ciphertext)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[0] == 2, "not a v2 message"
    pos = 1 + 2 + 32
    context_len = int.from_bytes(data[pos:pos + 2], "big")
    pos += 2 + context_len + 2  # context, EDK count
    for _ in range(2):  # provider id, provider info
        pos += 2 + int.from_bytes(data[pos:pos + 2], "big")
    length = int.from_bytes(data[pos:pos + 2], "big")
    return data[pos + 2:pos + 2 + length]


class EmbeddedStoreTest(Fixture):
    def test_default_key_round_trip_without_wrapping_keys(self):
        data = os.urandom(50_000)
        src = self.write("plain", data)
        r = self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct")))
        lines = r.stderr.decode().strip().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(DEFAULT_ALIAS, lines[0])
        self.assertIn("(created now)", lines[0])
        self.ok(self.run_envelope("decrypt", "-i", self.path("ct"), "-o", self.path("out")))
        self.assertEqual(self.read("out"), data)

    def test_default_key_is_created_once_and_reused(self):
        first = self.default_key_arn()
        src = self.write("again", b"again")
        r = self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("again.ct"),
                                      "--metadata-output", self.path("again.json")))
        self.assertNotIn("(created now)", r.stderr.decode())
        with open(self.path("again.json")) as f:
            second = json.loads(f.readline())["encrypted_data_keys"][0]["provider_info"]
        self.assertEqual(first, second)

    def test_store_directory_has_mode_0700(self):
        self.default_key_arn()
        self.assertEqual(stat.S_IMODE(os.stat(self.store).st_mode), 0o700)

    def test_edk_names_provider_aws_kms_and_the_key_arn(self):
        arn = self.default_key_arn()
        with open(self.path("seed.json")) as f:
            edk = json.loads(f.readline())["encrypted_data_keys"][0]
        self.assertEqual(edk["provider_id"], "aws-kms")
        self.assertEqual(edk["provider_info"], arn)

    def test_provider_local_alias_round_trip(self):
        spec = ["--wrapping-keys", "provider=local", "key=alias/backups"]
        src = self.write("plain", b"local alias")
        r = self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct"), *spec))
        self.assertIn("created alias/backups", r.stderr.decode())
        self.ok(self.run_envelope("decrypt", "-i", self.path("ct"), "-o", self.path("out"), *spec))
        self.assertEqual(self.read("out"), b"local alias")

    def test_provider_local_message_decrypts_without_wrapping_keys(self):
        src = self.write("plain", b"discovery")
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct"), "-w",
                                  "provider=local key=alias/backups"))
        self.ok(self.run_envelope("decrypt", "-i", self.path("ct"), "-o", self.path("out")))
        self.assertEqual(self.read("out"), b"discovery")

    def test_provider_local_other_alias_fails_with_exit_1(self):
        src = self.write("plain", b"x")
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct"), "-w",
                                  "provider=local key=alias/one"))
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct2"), "-w",
                                  "provider=local key=alias/two"))
        r = self.run_envelope("decrypt", "-i", self.path("ct"), "-o", self.path("out"), "-w",
                              "provider=local key=alias/two")
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_decrypt_with_the_wrong_store_fails_with_exit_1(self):
        src = self.write("plain", b"which store?")
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct")))
        other = dict(self.env, ENVELOPE_DATA_DIR=self.path("other-store"))
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct-other"), env=other))
        r = self.run_envelope("decrypt", "-i", self.path("ct"), "-o", self.path("out"), env=other)
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_xdg_data_home_holds_the_store_when_envelope_data_dir_is_unset(self):
        env = dict(self.env, XDG_DATA_HOME=self.path("xdg"))
        del env["ENVELOPE_DATA_DIR"]
        src = self.write("plain", b"xdg")
        r = self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct"), env=env))
        self.assertIn(self.path("xdg", "envelope"), r.stderr.decode())
        self.assertTrue(os.path.isdir(self.path("xdg", "envelope")))

    def test_home_holds_the_store_when_nothing_else_is_set(self):
        env = dict(self.env)
        del env["ENVELOPE_DATA_DIR"]
        src = self.write("plain", b"home")
        self.ok(self.run_envelope("encrypt", "-i", src, "-o", self.path("ct"), env=env))
        self.assertTrue(os.path.isdir(self.path("home", ".local", "share", "envelope")))

    def test_aws_configuration_without_a_data_dir_asks_for_a_key(self):
        env = dict(self.env, AWS_PROFILE="work")
        del env["ENVELOPE_DATA_DIR"]
        src = self.write("plain", b"x")
        r = self.run_envelope("encrypt", "-i", src, "-o", self.path("ct"), env=env)
        self.assert_failed_cleanly(r, 2, self.path("ct"))
        self.assertIn("AWS_PROFILE", r.stderr.decode())

    def test_caching_reuses_one_data_key_across_files_of_a_run(self):
        for name in ("a", "b", "c"):
            self.write(os.path.join("tree", name), name.encode() * 100)
        self.ok(self.run_envelope("encrypt", "-r", "-i", self.path("tree"), "-o", self.path("enc"),
                                  "--caching", "capacity=10", "max_age=60"))
        blobs = {first_edk_ciphertext(self.path("enc", n + ".encrypted")) for n in ("a", "b", "c")}
        self.assertEqual(len(blobs), 1)
        self.ok(self.run_envelope("decrypt", "-r", "-i", self.path("enc"), "-o", self.path("dec")))
        self.assertEqual(self.read("dec/b"), b"b" * 100)

    def test_caching_with_one_message_per_key_makes_a_key_per_file(self):
        for name in ("a", "b"):
            self.write(os.path.join("tree", name), b"data")
        self.ok(self.run_envelope("encrypt", "-r", "-i", self.path("tree"), "-o", self.path("enc"),
                                  "--caching", "capacity=10", "max_age=60",
                                  "max_messages_encrypted=1"))
        blobs = {first_edk_ciphertext(self.path("enc", n + ".encrypted")) for n in ("a", "b")}
        self.assertEqual(len(blobs), 2)


class LocalKmsServer:
    """`envelope kms serve` on loopback, port chosen by the kernel; stopped by stop(). Its stderr
    (one line per request) is drained by a thread into `lines`."""

    def __init__(self, data_dir, auth="off"):
        self.proc = subprocess.Popen(
            [ENVELOPE, "kms", "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0",
             "--auth", auth],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        self.lines = []
        self.endpoint = None
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        if not self._ready.wait(timeout=30) or self.endpoint is None:
            self.stop()
            raise RuntimeError("envelope kms serve did not start: " + "".join(self.lines))

    def _drain(self):
        for raw in self.proc.stderr:
            line = raw.decode(errors="replace")
            self.lines.append(line)
            m = re.search(r"serving on (http://127\.0\.0\.1:\d+)", line)
            if m and self.endpoint is None:
                self.endpoint = m.group(1)
                self._ready.set()
        self._ready.set()  # the server exited

    def count(self, operation):
        """Requests of `operation` the server has logged so far."""
        return sum(1 for line in list(self.lines) if f"op={operation} " in line)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        self.proc.stderr.close()


class LiveStoreTest(Fixture):
    """A server running on the embedded store's directory sees what the command adds to it."""

    def test_default_key_made_by_encrypt_while_the_server_runs_is_served(self):
        server = LocalKmsServer(self.store)
        self.addCleanup(server.stop)
        arn = self.default_key_arn()  # the command creates the key and alias in the store
        deadline = time.monotonic() + 5
        while True:  # the server looks for other processes' writes every 200 ms
            r = self.run_envelope("kms", "describe-key", "--key-id", DEFAULT_ALIAS,
                                  "--endpoint-url", server.endpoint, "--region", "us-east-1",
                                  env=dict(self.env, AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
                                           AWS_SECRET_ACCESS_KEY="secret"))
            if r.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.ok(r)
        self.assertEqual(json.loads(r.stdout)["KeyMetadata"]["Arn"], arn)


class ServerTest(Fixture):
    """The server on the embedded store's directory, and the esdk-js peer's KMS keyring."""

    def setUp(self):
        super().setUp()
        self.peer = os.environ.get("ENVELOPE_ESDK_JS", "")
        if not (self.peer and os.path.isfile(self.peer) and shutil.which("node")):
            self.skipTest("SKIPPED: esdk-js peer not installed (../shared/peers/esdk-js/setup.sh "
                          "BUILD_DIR/peer-esdk-js)")
        self.arn = self.default_key_arn()
        self.server = LocalKmsServer(self.store)
        self.addCleanup(self.server.stop)
        self.peer_env = dict(self.env, AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
                             AWS_SECRET_ACCESS_KEY="secret", AWS_REGION="us-east-1")
        self.data = os.urandom(20_000)
        self.plain = self.write("pt", self.data)

    def peer_run(self, *args):
        r = subprocess.run(["node", "--no-warnings", self.peer, *args, "--metadata", os.devnull],
                           capture_output=True, timeout=120, env=self.peer_env)
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))

    def peer_kms(self, discovery=False):
        if discovery:
            return f"type=kms-discovery,endpoint={self.server.endpoint},region=us-east-1"
        return f"type=kms,key={self.arn},endpoint={self.server.endpoint},region=us-east-1"

    def test_embedded_store_message_decrypts_with_esdk_js_through_the_server(self):
        self.ok(self.run_envelope("encrypt", "-i", self.plain, "-o", self.path("ct"),
                                  "-c", "purpose=interop"))
        self.peer_run("decrypt", "--keyring", self.peer_kms(discovery=True),
                      "--in", self.path("ct"), "--out", self.path("js-out"))
        self.assertEqual(self.read("js-out"), self.data)

    def test_esdk_js_kms_message_decrypts_with_the_embedded_store(self):
        for suite in ("0x0478", "0x0578"):
            with self.subTest(suite=suite):
                ct, out = self.path(f"jct-{suite}"), self.path(f"out-{suite}")
                self.peer_run("encrypt", "--keyring", self.peer_kms(), "--suite", suite,
                              "--context", "purpose=interop", "--in", self.plain, "--out", ct)
                self.ok(self.run_envelope("decrypt", "-i", ct, "-o", out, "-c", "purpose=interop"))
                self.assertEqual(self.read(os.path.basename(out)), self.data)

    def aws_kms_spec(self):
        """The aws-kms provider through the server, or a loud skip when this build lacks it."""
        probe = self.run_envelope("encrypt", "-i", self.plain, "-o", self.path("probe"),
                                  "--wrapping-keys", "key=" + self.arn,
                                  "--endpoint-url", self.server.endpoint, env=self.peer_env)
        if b"has no KMS client" in probe.stderr:
            self.skipTest("SKIPPED: this build has no KMS client (src/kms/client)")
        self.ok(probe)
        return ["--wrapping-keys", "key=" + self.arn, "--endpoint-url", self.server.endpoint]

    def test_aws_kms_provider_message_decrypts_with_esdk_js(self):
        spec = self.aws_kms_spec()
        for suite in ("0x0478", "0x0578"):
            with self.subTest(suite=suite):
                ct, out = self.path(f"ct-{suite}"), self.path(f"js-{suite}")
                self.ok(self.run_envelope("encrypt", "-i", self.plain, "-o", ct, *spec,
                                          "--algorithm", suite, env=self.peer_env))
                self.peer_run("decrypt", "--keyring", self.peer_kms(), "--in", ct, "--out", out)
                self.assertEqual(self.read(os.path.basename(out)), self.data)

    def test_esdk_js_message_decrypts_with_the_aws_kms_provider(self):
        spec = self.aws_kms_spec()
        self.peer_run("encrypt", "--keyring", self.peer_kms(), "--in", self.plain,
                      "--out", self.path("jct"))
        self.ok(self.run_envelope("decrypt", "-i", self.path("jct"), "-o", self.path("out"),
                                  *spec, env=self.peer_env))
        self.assertEqual(self.read("out"), self.data)

    def test_aws_kms_discovery_decrypts_an_esdk_js_message(self):
        self.aws_kms_spec()
        self.peer_run("encrypt", "--keyring", self.peer_kms(), "--in", self.plain,
                      "--out", self.path("jct"))
        self.ok(self.run_envelope("decrypt", "-i", self.path("jct"), "-o", self.path("out"),
                                  "--wrapping-keys", "discovery=true",
                                  "discovery-account=111122223333",
                                  "--endpoint-url", self.server.endpoint, env=self.peer_env))
        self.assertEqual(self.read("out"), self.data)


class AuthenticatedServerTest(ServerTest):
    """The same server with SigV4 authentication on, using the credentials it generates."""

    def setUp(self):
        Fixture.setUp(self)
        self.peer = os.environ.get("ENVELOPE_ESDK_JS", "")
        if not (self.peer and os.path.isfile(self.peer) and shutil.which("node")):
            self.skipTest("SKIPPED: esdk-js peer not installed (../shared/peers/esdk-js/setup.sh "
                          "BUILD_DIR/peer-esdk-js)")
        self.arn = self.default_key_arn()
        self.server = LocalKmsServer(self.store, auth="on")
        self.addCleanup(self.server.stop)
        credentials = os.path.join(self.store, "credentials")
        self.assertTrue(os.path.isfile(credentials), "the server wrote no credentials file")
        self.peer_env = dict(self.env, AWS_SHARED_CREDENTIALS_FILE=credentials,
                             AWS_REGION="us-east-1")
        self.data = os.urandom(20_000)
        self.plain = self.write("pt", self.data)

    def test_unknown_credentials_are_refused_with_exit_1(self):
        self.aws_kms_spec()
        env = dict(self.env, AWS_ACCESS_KEY_ID="AKIDUNKNOWN", AWS_SECRET_ACCESS_KEY="nope",
                   AWS_REGION="us-east-1")
        r = self.run_envelope("encrypt", "-i", self.plain, "-o", self.path("ct"),
                              "--wrapping-keys", "key=" + self.arn,
                              "--endpoint-url", self.server.endpoint, "--max-attempts", "1",
                              env=env)
        self.assert_failed_cleanly(r, 1, self.path("ct"))


class CachingAtTheServerTest(Fixture):
    """Data key caching measured where it matters: GenerateDataKey calls counted by the server."""

    def test_ten_thousand_messages_with_max_messages_1000_make_ten_generate_data_key_calls(self):
        arn = self.default_key_arn()
        server = LocalKmsServer(self.store)
        self.addCleanup(server.stop)
        env = dict(self.env, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                   AWS_REGION="us-east-1")
        probe = self.run_envelope("encrypt", "-i", self.write("probe", b"p"), "-o",
                                  self.path("probe.ct"), "--wrapping-keys", "key=" + arn,
                                  "--endpoint-url", server.endpoint, env=env)
        if b"has no KMS client" in probe.stderr:
            self.skipTest("SKIPPED: this build has no KMS client (src/kms/client)")
        self.ok(probe)
        tree = self.path("tree")
        os.makedirs(tree)
        for i in range(10_000):
            with open(os.path.join(tree, f"m{i:05d}"), "wb") as f:
                f.write(b"%d" % i)
        self.ok(self.run_envelope("encrypt", "-r", "-q", "-i", tree, "-o", self.path("enc"),
                                  "--wrapping-keys", "key=" + arn,
                                  "--endpoint-url", server.endpoint,
                                  "--algorithm", "0x0478",
                                  "--caching", "capacity=10", "max_age=600",
                                  "max_messages_encrypted=1000", env=env))
        server.stop()  # and its log is read to the end
        self.assertEqual(server.count("GenerateDataKey"), 1 + 10)  # the probe, then 10
        self.assertEqual(len(os.listdir(self.path("enc"))), 10_000)


if __name__ == "__main__":
    ENVELOPE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
