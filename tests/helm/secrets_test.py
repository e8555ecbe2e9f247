"""Credentials reach the exporter as env vars from a chart-managed or an existing Secret, never both."""
import base64
import unittest

from helmtest import CHART, VALUES_FILES, helm, of_kind, one, render


def values_file(name):
    return next(v for v in VALUES_FILES if v and v.endswith(name))


def env_of(docs):
    containers = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e for e in containers[0].get("env", [])}


class SecretsTest(unittest.TestCase):
    def test_existing_secret_renders_no_secret(self):
        docs = render(values_file("existing-secret-values.yaml"))
        self.assertEqual(of_kind(docs, "Secret"), [])
        env = env_of(docs)
        want = {"TENCENTCLOUD_SECRET_ID": "secret-id", "TENCENTCLOUD_SECRET_KEY": "secret-key",
                "TENCENTCLOUD_SECURITY_TOKEN": "security-token"}
        for name, key in want.items():
            ref = env[name]["valueFrom"]["secretKeyRef"]
            self.assertEqual((ref["name"], ref["key"]), ("tencentcloud-org-credentials", key))
        self.assertTrue(env["TENCENTCLOUD_SECURITY_TOKEN"]["valueFrom"]["secretKeyRef"]["optional"])
        volumes = one(docs, "Deployment")["spec"]["template"]["spec"]["volumes"]
        self.assertEqual(volumes[0]["secret"]["secretName"], "tencentcloud-org-web-config")

    def test_chart_managed_secret(self):
        docs = render(values_file("all-features-values.yaml"))
        secrets = {s["metadata"]["name"]: s for s in of_kind(docs, "Secret")}
        creds = secrets["tcorg-exporter"]
        decoded = {k: base64.b64decode(v).decode() for k, v in creds["data"].items()}
        self.assertEqual(decoded["TENCENTCLOUD_SECRET_ID"], "AKIDEXAMPLEEXAMPLEEXAMPLE")
        self.assertEqual(decoded["TENCENTCLOUD_SECURITY_TOKEN"], "example-session-token")
        env = env_of(docs)
        self.assertEqual(env["TENCENTCLOUD_SECRET_KEY"]["valueFrom"]["secretKeyRef"]["name"], "tcorg-exporter")
        self.assertIn("tcorg-exporter-web-config", secrets)
        annotations = one(docs, "Deployment")["spec"]["template"]["metadata"]["annotations"]
        self.assertIn("checksum/credentials", annotations)

    def test_credentials_file_is_mounted_without_env(self):
        docs = render(values_file("credentials-file-values.yaml"))
        self.assertEqual(of_kind(docs, "Secret"), [])
        self.assertEqual(env_of(docs), {})
        pod = one(docs, "Deployment")["spec"]["template"]["spec"]
        container = pod["containers"][0]
        self.assertIn("--tencentcloud.credentials-file=/etc/tencentcloud-org-exporter/credentials/credentials.ini",
                      container["args"])
        (mount,) = [m for m in container["volumeMounts"] if m["name"] == "credentials-file"]
        # No subPath: kubelet then updates the file in place when the Secret is rotated.
        self.assertEqual(mount, {"name": "credentials-file", "mountPath": "/etc/tencentcloud-org-exporter/credentials",
                                 "readOnly": True})
        (volume,) = [v for v in pod["volumes"] if v["name"] == "credentials-file"]
        self.assertEqual(volume["secret"]["secretName"], "tencentcloud-org-credentials-file")

    def test_credentials_file_excludes_env_credentials(self):
        proc = helm("template", "rel", CHART, "--set", "credentials.fileSecret=f",
                    "--set", "credentials.existingSecret=e", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("fileSecret cannot be combined", proc.stderr)

    def test_no_credentials_no_secret_no_env(self):
        docs = render()
        self.assertEqual(of_kind(docs, "Secret"), [])
        self.assertEqual(env_of(docs), {})


if __name__ == "__main__":
    unittest.main()
