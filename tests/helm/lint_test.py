"""helm lint --strict passes with the default values and with every ci/*-values.yaml."""
import unittest

from helmtest import CHART, VALUES_FILES, helm, label, values_args


class LintTest(unittest.TestCase):
    def test_ci_values_exist(self):
        names = {label(v) for v in VALUES_FILES}
        self.assertIn("all-features-values.yaml", names)
        self.assertIn("existing-secret-values.yaml", names)
        self.assertIn("credentials-file-values.yaml", names)

    def test_lint_strict(self):
        for values_file in VALUES_FILES:
            with self.subTest(values=label(values_file)):
                proc = helm("lint", "--strict", CHART, *values_args(values_file), check=False)
                self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                self.assertIn("0 chart(s) failed", proc.stdout)


if __name__ == "__main__":
    unittest.main()
