"""values.schema.json turns wrong types, out-of-range values and unknown keys into a failed helm template."""
import unittest

from helmtest import CHART, NAMESPACE, RELEASE, helm, render, of_kind


def template(*sets):
    return helm("template", RELEASE, CHART, "--namespace", NAMESPACE, *[a for s in sets for a in ("--set", s)],
                check=False)


class SchemaTest(unittest.TestCase):
    def assert_rejected(self, setting, message):
        proc = template(setting)
        self.assertNotEqual(proc.returncode, 0, f"--set {setting} was accepted")
        self.assertIn(message, proc.stderr)

    def test_wrong_types(self):
        self.assert_rejected("replicaCount=two", "replicaCount: Invalid type")
        self.assert_rejected("service.port=abc", "service.port: Invalid type")
        self.assert_rejected("serviceMonitor.enabled=yes-please", "serviceMonitor.enabled: Invalid type")

    def test_out_of_range(self):
        # A second poller would double the API calls: the schema allows 0 or 1 replicas.
        self.assert_rejected("replicaCount=2", "replicaCount")
        self.assert_rejected("service.port=70000", "service.port")
        self.assert_rejected("config.logFormat=text", "config.logFormat")
        self.assert_rejected("config.timeZoneOffset=8", "config.timeZoneOffset")

    def test_unknown_keys(self):
        self.assert_rejected("replicas=1", "Additional property replicas is not allowed")
        self.assert_rejected("image.tags=latest", "Additional property tags is not allowed")
        self.assert_rejected("serviceMonitor.enable=true", "Additional property enable is not allowed")
        self.assert_rejected("credentials.existingSecretName=x", "Additional property existingSecretName")

    def test_accepted_edges(self):
        self.assertEqual(of_kind(render(sets=["replicaCount=0"]), "Deployment")[0]["spec"]["replicas"], 0)
        render(sets=["config.memberUins={100012345678}"])

    def test_half_configured_credentials_fail(self):
        proc = template("credentials.secretId=AKID")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("set both secretId and secretKey", proc.stderr)


if __name__ == "__main__":
    unittest.main()
