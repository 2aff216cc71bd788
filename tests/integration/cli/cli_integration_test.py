#!/usr/bin/env python3
"""Black-box tests of the `envelope` command: usage: cli_integration_test.py PATH/TO/envelope."""
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import unittest

from cli_test_support import TempDirCase

ENVELOPE = None  # set from argv in __main__


def run(*args, stdin=None):
    return subprocess.run([ENVELOPE, *args], input=stdin, capture_output=True, timeout=120)


class Fixture(TempDirCase):
    """A temporary directory with an AES key in it, and helpers; holds no test cases."""

    TEMP_PREFIX = "envelope-cli-it-"

    def setUp(self):
        super().setUp()
        self.key = self.path("aes.key")
        self.ok(run("keygen", "--aes", "256", "-o", self.key))
        self.spec = ["--wrapping-keys", "provider=raw-aes", "key-namespace=ns", "key-name=k1",
                     "key-file=" + self.key]

    def assert_no_temp_files(self):
        for root, _, files in os.walk(self.dir):
            for f in files:
                self.assertNotIn(".tmp-", f, f"leftover temporary file in {root}")

    def encrypt(self, data, *extra, name="plain"):
        src = self.write(name, data)
        self.ok(run("encrypt", "-i", src, "-o", src + ".encrypted", *self.spec, *extra))
        return src + ".encrypted"


class CliTest(Fixture):
    # keygen

    def test_keygen_aes_writes_32_bytes_with_mode_0600(self):
        self.assertEqual(len(self.read("aes.key")), 32)
        self.assertEqual(stat.S_IMODE(os.stat(self.key).st_mode), 0o600)

    def test_keygen_refuses_to_overwrite_a_key(self):
        r = run("keygen", "--aes", "128", "-o", self.key)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(len(self.read("aes.key")), 32)

    def test_keygen_rsa_writes_private_and_public_pem_with_mode_0600(self):
        self.ok(run("keygen", "--rsa", "2048", "-o", self.path("rsa")))
        self.assertIn(b"BEGIN PRIVATE KEY", self.read("rsa.pem"))
        self.assertIn(b"BEGIN PUBLIC KEY", self.read("rsa.pub.pem"))
        for name in ("rsa.pem", "rsa.pub.pem"):
            self.assertEqual(stat.S_IMODE(os.stat(self.path(name)).st_mode), 0o600)

    # round trips

    def test_file_round_trip(self):
        data = os.urandom(100_000)
        enc = self.encrypt(data)
        self.ok(run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec))
        self.assertEqual(self.read("out"), data)
        self.assertNotEqual(self.read("plain.encrypted")[:100], data[:100])

    def test_empty_file_round_trip_with_small_frames(self):
        enc = self.encrypt(b"", "--frame-length", "1")
        self.ok(run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec))
        self.assertEqual(self.read("out"), b"")

    def test_rsa_and_multi_keyring_round_trip_with_the_child_key_only(self):
        self.ok(run("keygen", "--rsa", "2048", "-o", self.path("rsa")))
        rsa = ["--wrapping-keys",
               "provider=raw-rsa key-namespace=ns key-name=r1 padding=oaep-sha256"
               f" public-key-file={self.path('rsa.pub.pem')}"
               f" private-key-file={self.path('rsa.pem')}"]
        data = b"multi keyring " * 1000
        enc = self.encrypt(data, *rsa)
        self.ok(run("decrypt", "-i", enc, "-o", self.path("out"), *rsa))
        self.assertEqual(self.read("out"), data)

    def test_stdin_to_stdout_round_trip(self):
        data = os.urandom(10_000)
        enc = self.ok(run("encrypt", "-i", "-", "-o", "-", *self.spec, stdin=data)).stdout
        dec = self.ok(run("decrypt", "-i", "-", "-o", "-", *self.spec, stdin=enc)).stdout
        self.assertEqual(dec, data)

    def test_recursive_directory_round_trip_mirrors_the_tree(self):
        files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(5000), "sub/deeper/c": b""}
        for name, data in files.items():
            self.write(os.path.join("tree", name), data)
        self.ok(run("encrypt", "-r", "-i", self.path("tree"), "-o", self.path("enc"), *self.spec))
        for name in files:
            self.assertTrue(os.path.isfile(self.path("enc", name + ".encrypted")), name)
        self.ok(run("decrypt", "-r", "-i", self.path("enc"), "-o", self.path("dec"), *self.spec))
        for name, data in files.items():
            self.assertEqual(self.read(os.path.join("dec", name)), data)

    def test_recursive_run_does_not_process_its_own_metadata_file(self):
        self.write("tree/a", b"alpha")
        meta = self.path("tree", "meta.jsonl")
        self.ok(run("encrypt", "-r", "-i", self.path("tree"), "-o", self.path("enc"), *self.spec,
                    "--metadata-output", meta))
        self.assertEqual(sorted(os.listdir(self.path("enc"))), ["a.encrypted"])
        with open(meta) as f:
            self.assertEqual(len(f.read().splitlines()), 1)

    def test_custom_suffix_names_outputs_both_ways(self):
        self.write("tree/a", b"alpha")
        self.ok(run("encrypt", "-r", "-i", self.path("tree"), "-o", self.path("enc"), *self.spec,
                    "--suffix", ".env"))
        self.assertEqual(os.listdir(self.path("enc")), ["a.env"])
        self.ok(run("decrypt", "-r", "-i", self.path("enc"), "-o", self.path("dec"), *self.spec,
                    "--suffix", ".env"))
        self.assertEqual(self.read("dec/a"), b"alpha")

    def test_buffered_decrypt_to_stdout_round_trips(self):
        data = os.urandom(30_000)
        enc = self.encrypt(data, "--frame-length", "1024")
        r = self.ok(run("decrypt", "-i", enc, "-o", "-", *self.spec, "--buffer"))
        self.assertEqual(r.stdout, data)

    def test_aes_128_key_round_trips(self):
        key = self.path("k128")
        self.ok(run("keygen", "--aes", "128", "-o", key))
        self.assertEqual(os.path.getsize(key), 16)
        spec = ["-w", "provider=raw-aes key-namespace=ns key-name=s key-file=" + key]
        src = self.write("p128", b"short key")
        self.ok(run("encrypt", "-i", src, "-o", self.path("c128"), *spec))
        self.ok(run("decrypt", "-i", self.path("c128"), "-o", self.path("o128"), *spec))
        self.assertEqual(self.read("o128"), b"short key")

    def test_too_many_data_keys_fails_decrypt_with_exit_1(self):
        second = ["-w", "provider=raw-aes key-namespace=ns key-name=k2 key-file=" + self.key]
        enc = self.encrypt(b"two keys", *second)
        r = run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec,
                "--max-encrypted-data-keys", "1")
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_directory_without_recursive_is_usage_error(self):
        self.write("tree/a", b"x")
        r = run("encrypt", "-i", self.path("tree"), "-o", self.path("enc"), *self.spec)
        self.assertEqual(r.returncode, 2)

    # failures leave nothing behind

    def test_wrong_key_fails_with_exit_1_and_no_output(self):
        enc = self.encrypt(b"secret")
        other = self.path("other.key")
        self.ok(run("keygen", "--aes", "256", "-o", other))
        r = run("decrypt", "-i", enc, "-o", self.path("out"), "--wrapping-keys",
                f"provider=raw-aes key-namespace=ns key-name=k1 key-file={other}")
        self.assert_failed_cleanly(r, 1, self.path("out"))
        self.assertTrue(r.stderr.decode().startswith(f"envelope decrypt: {enc}: "), r.stderr)

    def test_truncated_ciphertext_fails_with_exit_1_and_no_output(self):
        enc = self.encrypt(os.urandom(20_000))
        full = self.read("plain.encrypted")
        for cut in (1, 10, len(full) // 2, len(full) - 1):
            t = self.write("trunc", full[:cut])
            r = run("decrypt", "-i", t, "-o", self.path("out"), *self.spec)
            self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_flipped_bit_fails_with_exit_1_and_no_output(self):
        self.encrypt(os.urandom(9000))
        data = bytearray(self.read("plain.encrypted"))
        data[len(data) // 2] ^= 0x01
        t = self.write("flipped", bytes(data))
        r = run("decrypt", "-i", t, "-o", self.path("out"), *self.spec)
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_sigterm_mid_encrypt_leaves_no_temporary_file(self):
        out = self.path("out")
        proc = subprocess.Popen([ENVELOPE, "encrypt", "-i", "-", "-o", out, *self.spec],
                                stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdin.write(os.urandom(100_000))
        proc.stdin.flush()
        # The temporary output exists as soon as the command has opened its output; it then
        # blocks reading stdin, which stays open.
        deadline = time.monotonic() + 30
        while not any(".tmp-" in f for f in os.listdir(self.dir)):
            self.assertLess(time.monotonic(), deadline, "no temporary file appeared")
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdin.close()
        proc.stderr.close()
        self.assertEqual(proc.returncode, -signal.SIGTERM)
        self.assertFalse(os.path.exists(out))
        self.assert_no_temp_files()

    def test_missing_input_is_io_error(self):
        r = run("encrypt", "-i", self.path("missing"), "-o", self.path("out"), *self.spec)
        self.assert_failed_cleanly(r, 3, self.path("out"))

    def test_output_in_a_missing_directory_is_io_error(self):
        src = self.write("p", b"x")
        out = self.path("no", "such", "dir", "out")
        r = run("encrypt", "-i", src, "-o", out, *self.spec)
        self.assert_failed_cleanly(r, 3, out)
        self.assertFalse(os.path.exists(self.path("no")))

    def test_output_equal_to_input_is_refused(self):
        src = self.write("same", b"data")
        r = run("encrypt", "-i", src, "-o", src, *self.spec)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(self.read("same"), b"data")

    # usage

    def test_bad_usage_exits_2_with_one_line_naming_the_command(self):
        for args in (["encrypt", "--bogus"],
                     ["encrypt", "-i", "a", "-o", "b", "--caching", "capacity=1"],
                     ["decrypt", "-i", "a", "-o", "b", "-w", "provider=aws-kmz"],
                     ["encrypt", "-i", "a", "-o", "b", *self.spec, "--frame-length", "x"],
                     ["frobnicate"]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, args)
            lines = r.stderr.decode().strip().splitlines()
            self.assertEqual(len(lines), 1, lines)
            self.assertIn("--help", lines[0])
            self.assertTrue(lines[0].startswith("envelope"), lines[0])

    def test_unknown_provider_names_the_supported_ones(self):
        src = self.write("p", b"x")
        r = run("encrypt", "-i", src, "-o", src + ".e", "-w", "provider=nope")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"raw-aes", r.stderr)

    def test_help_and_version_exit_0(self):
        for args in (["--help"], ["encrypt", "--help"], ["decrypt", "--help"],
                     ["keygen", "--help"], ["kms", "serve", "--help"], ["--version"]):
            self.ok(run(*args))

    # metadata, context, unsigned

    def test_metadata_output_is_one_json_object_per_message(self):
        meta = self.path("meta.jsonl")
        self.encrypt(b"hello", "-c", "purpose=test", "--metadata-output", meta)
        with open(meta) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 1)
        m = json.loads(lines[0])
        self.assertEqual(m["mode"], "encrypt")
        self.assertEqual(m["encryption_context"]["purpose"], "test")
        self.assertEqual(m["suite"]["id"], "0x0578")
        self.assertEqual(len(m["message_id"]), 64)
        self.assertEqual(m["encrypted_data_keys"][0]["provider_id"], "ns")
        self.assertEqual(m["bytes_in"], 5)

    def test_decrypt_metadata_to_stdout_parses(self):
        enc = self.encrypt(b"hello")
        r = self.ok(run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec,
                        "--metadata-output", "-"))
        m = json.loads(r.stdout.decode())
        self.assertEqual(m["mode"], "decrypt")
        self.assertEqual(m["bytes_out"], 5)

    def test_matching_context_decrypts(self):
        enc = self.encrypt(b"ctx", "-c", "purpose=test", "team=a")
        self.ok(run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec, "-c", "purpose=test"))
        self.assertEqual(self.read("out"), b"ctx")

    def test_context_value_mismatch_fails_with_exit_1_and_no_output(self):
        enc = self.encrypt(b"ctx", "-c", "purpose=test")
        r = run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec, "-c", "purpose=prod")
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_context_key_absent_fails_with_exit_1_and_no_output(self):
        enc = self.encrypt(b"ctx", "-c", "purpose=test")
        r = run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec, "-c", "owner=me")
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_decrypt_unsigned_refuses_a_signed_suite(self):
        enc = self.encrypt(b"signed", "--algorithm", "0x0578")
        r = run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec, "--decrypt-unsigned")
        self.assert_failed_cleanly(r, 1, self.path("out"))

    def test_decrypt_unsigned_accepts_an_unsigned_suite(self):
        enc = self.encrypt(b"unsigned", "--algorithm", "AES_256_GCM_HKDF_SHA512_COMMIT_KEY")
        self.ok(run("decrypt", "-i", enc, "-o", self.path("out"), *self.spec, "--decrypt-unsigned"))
        self.assertEqual(self.read("out"), b"unsigned")


class InteropTest(Fixture):
    """Messages cross between the envelope binary and the AWS Encryption SDK for JavaScript."""

    def setUp(self):
        super().setUp()
        self.peer = os.environ.get("ENVELOPE_ESDK_JS", "")
        if not (self.peer and os.path.isfile(self.peer) and shutil.which("node")):
            self.skipTest("SKIPPED: esdk-js peer not installed (../shared/peers/esdk-js/setup.sh "
                          "BUILD_DIR/peer-esdk-js)")
        with open(self.key, "rb") as f:
            self.key_hex = f.read().hex()
        self.ok(run("keygen", "--rsa", "2048", "-o", self.path("rsa")))
        self.plain = self.write("pt", os.urandom(5000))

    def peer_run(self, *args):
        r = subprocess.run(["node", "--no-warnings", self.peer, *args, "--metadata", os.devnull],
                           capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))

    def peer_keyrings(self):
        return [("aes", "type=raw-aes,namespace=ns,name=k1,key-hex=" + self.key_hex, self.spec),
                ("rsa", f"type=raw-rsa,namespace=ns,name=r1,public={self.path('rsa.pub.pem')},"
                        f"private={self.path('rsa.pem')},padding=oaep-sha256",
                 ["--wrapping-keys", "provider=raw-rsa", "key-namespace=ns", "key-name=r1",
                  "padding=oaep-sha256", "public-key-file=" + self.path("rsa.pub.pem"),
                  "private-key-file=" + self.path("rsa.pem")])]

    def test_envelope_messages_decrypt_with_esdk_js(self):
        for name, peer_spec, spec in self.peer_keyrings():
            for suite in ("0x0478", "0x0578"):
                with self.subTest(keyring=name, suite=suite):
                    ct, out = self.path(f"ct-{name}-{suite}"), self.path(f"js-{name}-{suite}")
                    self.ok(run("encrypt", "-i", self.plain, "-o", ct, *spec, "--algorithm",
                                suite, "--frame-length", "512", "-c", "purpose=interop"))
                    self.peer_run("decrypt", "--keyring", peer_spec, "--in", ct, "--out", out)
                    self.assertEqual(self.read(out), self.read("pt"))

    def test_esdk_js_messages_decrypt_with_envelope(self):
        for name, peer_spec, spec in self.peer_keyrings():
            for suite in ("0x0478", "0x0578"):
                with self.subTest(keyring=name, suite=suite):
                    ct, out = self.path(f"jct-{name}-{suite}"), self.path(f"env-{name}-{suite}")
                    self.peer_run("encrypt", "--keyring", peer_spec, "--suite", suite,
                                  "--frame-length", "512", "--context", "purpose=interop",
                                  "--in", self.plain, "--out", ct)
                    self.ok(run("decrypt", "-i", ct, "-o", out, *spec, "-c", "purpose=interop"))
                    self.assertEqual(self.read(out), self.read("pt"))


if __name__ == "__main__":
    ENVELOPE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
