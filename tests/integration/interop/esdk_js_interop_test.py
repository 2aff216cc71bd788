#!/usr/bin/env python3
"""Interop with the AWS Encryption SDK for JavaScript, both ways, through the `envelope` binary.

For every algorithm suite, with raw AES (128, 192 and 256-bit wrapping keys), raw RSA (each
padding) and multi keyrings: Envelope encrypts and esdk-js decrypts, and esdk-js encrypts and
Envelope decrypts; the plaintext must come back byte for byte and the encryption context must
survive. Usage: esdk_js_interop_test.py ENVELOPE_BINARY PEER_ESDK_MJS
"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile

SUITES = ["0x0014", "0x0046", "0x0078", "0x0114", "0x0146", "0x0178", "0x0214", "0x0346",
          "0x0378", "0x0478", "0x0578"]
PADDINGS = ["pkcs1", "oaep-sha1", "oaep-sha256", "oaep-sha384", "oaep-sha512"]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=120, **kw)


class Keys:
    def __init__(self, envelope, work):
        self.work = work
        self.aes = {}
        for bits in (128, 192, 256):
            path = os.path.join(work, f"aes{bits}.key")
            check(run([envelope, "keygen", "--aes", str(bits), "-o", path]), "keygen aes")
            with open(path, "rb") as f:
                self.aes[bits] = (path, f.read().hex())
        self.rsa = os.path.join(work, "rsa")
        check(run([envelope, "keygen", "--rsa", "2048", "-o", self.rsa]), "keygen rsa")

    def envelope_specs(self, kind):
        """--wrapping-keys values for Envelope; the first is the generator."""
        if kind.startswith("aes"):
            path, _ = self.aes[int(kind[3:])]
            return [f"provider=raw-aes key-namespace=interop key-name={kind} key-file={path}"]
        if kind.startswith("rsa-"):
            padding = kind[4:]
            return [f"provider=raw-rsa key-namespace=interop key-name=rsa-{padding} "
                    f"public-key-file={self.rsa}.pub.pem private-key-file={self.rsa}.pem "
                    f"padding={padding}"]
        return self.envelope_specs("aes256") + self.envelope_specs("rsa-oaep-sha256")

    def peer_specs(self, kind):
        if kind.startswith("aes"):
            _, hexkey = self.aes[int(kind[3:])]
            return [f"type=raw-aes,namespace=interop,name={kind},key-hex={hexkey}"]
        if kind.startswith("rsa-"):
            padding = kind[4:]
            return [f"type=raw-rsa,namespace=interop,name=rsa-{padding},private={self.rsa}.pem,"
                    f"public={self.rsa}.pub.pem,padding={padding}"]
        return self.peer_specs("aes256") + self.peer_specs("rsa-oaep-sha256")


def check(proc, what):
    if proc.returncode != 0:
        raise AssertionError(f"{what} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")


def policy(suite):
    return ("require-encrypt-require-decrypt" if suite in ("0x0478", "0x0578")
            else "forbid-encrypt-allow-decrypt")


def one_case(envelope, peer, keys, suite, kind, plaintext_path):
    base = os.path.join(keys.work, f"{suite}-{kind}")
    ours, theirs = base + ".env.ct", base + ".js.ct"
    env_keys = sum((["--wrapping-keys", s] for s in keys.envelope_specs(kind)), [])
    peer_keys = sum((["--keyring", s] for s in keys.peer_specs(kind)), [])
    pol = policy(suite)
    # Envelope -> esdk-js
    check(run([envelope, "encrypt", "-i", plaintext_path, "-o", ours, "--algorithm", suite,
               "--frame-length", "512", "--commitment-policy", pol, "-c", "purpose=interop",
               "-c", "ünïcode=✓", *env_keys]), f"envelope encrypt {suite} {kind}")
    # Node.js 20 refuses PKCS#1 v1.5 private decryption by default (the Marvin attack
    # mitigation); the peer can only read such keys with that mitigation reverted.
    node = ["node", "--no-warnings"]
    if kind == "rsa-pkcs1":
        node.append("--security-revert=CVE-2023-46809")
    out = run([*node, peer, "decrypt", "--in", ours, "--out", base + ".js.pt",
               "--commitment-policy", pol, "--context", "purpose=interop", *peer_keys])
    check(out, f"esdk-js decrypt of envelope's {suite} {kind}")
    same(plaintext_path, base + ".js.pt", f"esdk-js decrypt {suite} {kind}")
    # esdk-js -> Envelope
    check(run(["node", "--no-warnings", peer, "encrypt", "--in", plaintext_path, "--out", theirs,
               "--suite", suite, "--frame-length", "1000", "--commitment-policy", pol,
               "--context", "purpose=interop", "--context", "ünïcode=✓", *peer_keys]),
          f"esdk-js encrypt {suite} {kind}")
    check(run([envelope, "decrypt", "-i", theirs, "-o", base + ".env.pt", "--commitment-policy",
               pol, "-c", "purpose=interop", *env_keys]),
          f"envelope decrypt of esdk-js's {suite} {kind}")
    same(plaintext_path, base + ".env.pt", f"envelope decrypt {suite} {kind}")
    return f"{suite} {kind}"


def same(a, b, what):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        if fa.read() != fb.read():
            raise AssertionError(f"{what}: plaintext differs")


def main():
    envelope, peer = sys.argv[1], sys.argv[2]
    if not os.path.exists(peer):
        print(f"SKIPPED: the esdk-js peer is not installed at {peer} "
              "(run ../shared/peers/esdk-js/setup.sh build/peer-esdk-js)")
        return 77
    cases = [(s, k) for s in SUITES for k in ("aes128", "aes192", "aes256", "multi")]
    cases += [(s, f"rsa-{p}") for p in PADDINGS for s in ("0x0078", "0x0378", "0x0478", "0x0578")]
    with tempfile.TemporaryDirectory() as work:
        keys = Keys(envelope, work)
        plaintext = os.path.join(work, "plaintext")
        with open(plaintext, "wb") as f:
            f.write(os.urandom(512 * 7 + 123))
        failures = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(one_case, envelope, peer, keys, s, k, plaintext)
                       for s, k in cases]
            for fut in futures:
                try:
                    fut.result()
                except AssertionError as e:
                    failures.append(str(e))
    for f in failures:
        print("FAIL:", f)
    print(f"{len(cases) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
