"""What the command's black-box tests share: a temporary directory per test and the assertions
of the safety rules (success, or one error line and no output file)."""
import os
import tempfile
import unittest


class TempDirCase(unittest.TestCase):
    """A fresh temporary directory per test (removed after it) and file helpers."""

    TEMP_PREFIX = "envelope-it-"

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix=self.TEMP_PREFIX)
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, name, data):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def ok(self, r):
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))
        return r

    def assert_failed_cleanly(self, r, code, output):
        """Exit `code`, no file at `output`, and exactly one line on stderr."""
        self.assertEqual(r.returncode, code, r.stderr.decode(errors="replace"))
        self.assertFalse(os.path.exists(output), "a failed run left its output file")
        lines = r.stderr.decode().strip().splitlines()
        self.assertEqual(len(lines), 1, lines)
