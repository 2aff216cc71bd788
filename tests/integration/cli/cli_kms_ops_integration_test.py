#!/usr/bin/env python3
"""`envelope kms <operation>` against `envelope kms serve` on loopback (auth off), and
`envelope config` with temporary AWS config/credentials files and variables.

usage: cli_kms_ops_integration_test.py PATH/TO/envelope
"""
import base64
import json
import os
import sys
import unittest

import cli_kms_integration_test as base


class KmsOperationsTest(base.Fixture):
    """The key admin operations through the command, against a server on a fresh store."""

    def setUp(self):
        super().setUp()
        self.server = base.LocalKmsServer(self.store)
        self.addCleanup(self.server.stop)
        # Auth is off, but the client still signs: any credentials do.
        self.env.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                        AWS_REGION="us-east-1")
        probe = self.run_envelope("kms", "list-keys", "--endpoint-url", self.server.endpoint)
        if b"has no KMS client" in probe.stderr:
            self.skipTest("SKIPPED: this build has no KMS client (src/kms/client)")

    def kms(self, operation, *args):
        return self.run_envelope("kms", operation, "--endpoint-url", self.server.endpoint,
                                 "--max-attempts", "1", *args)

    def kms_json(self, operation, *args):
        r = self.ok(self.kms(operation, *args))
        return json.loads(r.stdout) if r.stdout.strip() else None

    def create_key(self):
        out = self.kms_json("create-key", "--description", "made by the test")
        return out["KeyMetadata"]

    def test_create_key_prints_the_key_metadata(self):
        meta = self.create_key()
        self.assertRegex(meta["Arn"], base.ARN_RE)
        self.assertEqual(meta["Description"], "made by the test")
        self.assertEqual(meta["KeyState"], "Enabled")

    def test_alias_names_the_key_for_describe_and_list(self):
        meta = self.create_key()
        r = self.ok(self.kms("create-alias", "--alias-name", "alias/it-test",
                             "--target-key-id", meta["KeyId"]))
        self.assertEqual(r.stdout, b"")
        described = self.kms_json("describe-key", "--key-id", "alias/it-test")
        self.assertEqual(described["KeyMetadata"]["Arn"], meta["Arn"])
        aliases = self.kms_json("list-aliases", "--key-id", meta["KeyId"])["Aliases"]
        self.assertEqual([a["AliasName"] for a in aliases], ["alias/it-test"])
        keys = self.kms_json("list-keys")["Keys"]
        self.assertIn(meta["Arn"], [k["KeyArn"] for k in keys])

    def test_describe_missing_key_fails_with_the_kms_error(self):
        r = self.kms("describe-key", "--key-id", "alias/absent")
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stderr.decode().strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("envelope kms describe-key: NotFoundException: "),
                        lines[0])

    def test_encrypt_then_decrypt_round_trips_with_the_context(self):
        meta = self.create_key()
        pt = self.write("pt", b"attack at dawn")
        enc = self.kms_json("encrypt", "--key-id", meta["KeyId"], "--plaintext-file", pt,
                            "-c", "purpose=it")
        self.assertEqual(enc["KeyId"], meta["Arn"])
        ct = self.write("ct", base64.b64decode(enc["CiphertextBlob"]))
        dec = self.kms_json("decrypt", "--ciphertext-file", ct, "-c", "purpose=it")
        self.assertEqual(base64.b64decode(dec["Plaintext"]), b"attack at dawn")
        wrong = self.kms("decrypt", "--ciphertext-file", ct, "-c", "purpose=other")
        self.assertEqual(wrong.returncode, 1)
        self.assertIn(b"InvalidCiphertextException", wrong.stderr)

    def test_generate_data_key_gives_plaintext_and_blob(self):
        meta = self.create_key()
        out = self.kms_json("generate-data-key", "--key-id", meta["Arn"], "--number-of-bytes",
                            "16")
        self.assertEqual(len(base64.b64decode(out["Plaintext"])), 16)
        self.assertTrue(base64.b64decode(out["CiphertextBlob"]))

    def test_disabled_key_refuses_encrypt_until_enabled(self):
        meta = self.create_key()
        pt = self.write("pt", b"x")
        self.ok(self.kms("disable-key", "--key-id", meta["KeyId"]))
        r = self.kms("encrypt", "--key-id", meta["KeyId"], "--plaintext-file", pt)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(b"envelope kms encrypt: DisabledException", r.stderr)
        self.ok(self.kms("enable-key", "--key-id", meta["KeyId"]))
        self.ok(self.kms("encrypt", "--key-id", meta["KeyId"], "--plaintext-file", pt))

    def test_schedule_key_deletion_reports_the_pending_window(self):
        meta = self.create_key()
        out = self.kms_json("schedule-key-deletion", "--key-id", meta["KeyId"],
                            "--pending-window-in-days", "7")
        self.assertEqual(out["KeyState"], "PendingDeletion")
        self.assertEqual(out["PendingWindowInDays"], 7)
        described = self.kms_json("describe-key", "--key-id", meta["KeyId"])
        self.assertEqual(described["KeyMetadata"]["KeyState"], "PendingDeletion")

    def test_usage_error_exits_2(self):
        r = self.kms("describe-key")
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"missing --key-id", r.stderr)


class LocalKmsOperationsTest(base.Fixture):
    """--local: the embedded key store, no server."""

    def test_local_create_key_then_describe_by_alias(self):
        meta = json.loads(self.ok(self.run_envelope("kms", "create-key", "--local")).stdout)
        arn = meta["KeyMetadata"]["Arn"]
        self.ok(self.run_envelope("kms", "create-alias", "--local", "--alias-name", "alias/l",
                                  "--target-key-id", arn))
        out = json.loads(self.ok(self.run_envelope("kms", "describe-key", "--local", "--key-id",
                                                   "alias/l")).stdout)
        self.assertEqual(out["KeyMetadata"]["Arn"], arn)


class ConfigTest(base.Fixture):
    """`envelope config` shows each value with where it came from."""

    def setUp(self):
        super().setUp()
        self.env["AWS_CONFIG_FILE"] = self.write(
            "aws/config",
            b"[profile dev]\nregion = eu-central-1\nretry_mode = adaptive\n"
            b"s3 =\n  addressing_style = path\n")
        self.env["AWS_SHARED_CREDENTIALS_FILE"] = self.write(
            "aws/credentials", b"[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                               b"aws_secret_access_key = wJalrXUtnFEMIsecretEXAMPLE\n")
        probe = self.run_envelope("config")
        if b"has no KMS client" in probe.stderr:
            self.skipTest("SKIPPED: this build has no KMS client (src/kms/client)")

    def config(self, *args, **env):
        r = self.run_envelope("config", *args, env=dict(self.env, **env))
        return r

    def lines(self, r):
        self.ok(r)
        return r.stdout.decode().splitlines()

    def test_profile_values_name_the_profile_and_file(self):
        out = self.lines(self.config(AWS_PROFILE="dev"))
        region = next(line for line in out if line.startswith("region = "))
        self.assertIn("eu-central-1", region)
        self.assertIn("dev", region)
        self.assertIn("retry_mode = adaptive", "\n".join(out))

    def test_env_beats_profile_and_flag_beats_env(self):
        out = "\n".join(self.lines(self.config(AWS_PROFILE="dev", AWS_REGION="us-west-2")))
        self.assertIn("region = us-west-2  (env AWS_REGION)", out)
        out = "\n".join(self.lines(self.config("--region", "ap-south-1", AWS_PROFILE="dev",
                                               AWS_REGION="us-west-2")))
        self.assertIn("region = ap-south-1  (command line)", out)

    def test_credentials_are_masked(self):
        r = self.config(AWS_PROFILE="dev")
        text = "\n".join(self.lines(r))
        self.assertIn("****MPLE", text)
        self.assertNotIn(b"AKIAIOSFODNN7EXAMPLE", r.stdout)
        self.assertNotIn(b"wJalrXUtnFEMIsecretEXAMPLE", r.stdout)

    def test_legacy_s3_block_is_a_warning(self):
        out = self.lines(self.config(AWS_PROFILE="dev"))
        self.assertTrue(any(line.startswith("warning: ") and "s3" in line for line in out), out)

    def test_no_credentials_is_reported_not_an_error(self):
        out = "\n".join(self.lines(self.config(AWS_REGION="us-east-1")))
        self.assertIn("note: no credentials found", out)

    def test_endpoint_flag_shows_as_the_endpoint(self):
        out = "\n".join(self.lines(self.config("--endpoint-url", "http://127.0.0.1:4599",
                                               AWS_REGION="us-east-1")))
        self.assertIn("endpoint_url = http://127.0.0.1:4599  (command line)", out)

    def test_bad_retry_mode_exits_2_naming_its_source(self):
        r = self.config(AWS_RETRY_MODE="fast")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b"AWS_RETRY_MODE", r.stderr)
        self.assertEqual(len(r.stderr.decode().strip().splitlines()), 1, r.stderr)


if __name__ == "__main__":
    base.ENVELOPE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
