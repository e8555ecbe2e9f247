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

    def test_tke_oidc_annotates_service_account_without_secret(self):
        docs = render(values_file("tke-oidc-values.yaml"))
        self.assertEqual(of_kind(docs, "Secret"), [])
        self.assertEqual(env_of(docs), {})  # the TKE_* variables come from TKE's webhook, not the chart
        sa = one(docs, "ServiceAccount")
        self.assertEqual(sa["metadata"]["annotations"], {
            "example.com/owner": "platform",
            "tke.cloud.tencent.com/role-arn": "qcs::cam::uin/100000000001:roleName/tencentcloud-org-exporter",
            "tke.cloud.tencent.com/audience": "sts.cloud.tencent.com",
            "tke.cloud.tencent.com/token-expiration": "86400"})
        pod = one(docs, "Deployment")["spec"]["template"]["spec"]
        self.assertEqual(pod["serviceAccountName"], sa["metadata"]["name"])
        args = pod["containers"][0]["args"]
        for want in ("--tencentcloud.role-arn=qcs::cam::uin/100000000002:roleName/tencentcloud-org-exporter-read",
                     "--tencentcloud.role-session-name=tcorg-ci", "--tencentcloud.role-duration=1h",
                     "--tencentcloud.sts-endpoint=https://sts.internal.tencentcloudapi.com"):
            self.assertIn(want, args)
        self.assertFalse([a for a in args if a.startswith(("--tencentcloud.cvm-role", "--tencentcloud.credentials"))])

    def test_cvm_role_flags_without_secret(self):
        docs = render(values_file("cvm-role-values.yaml"))
        self.assertEqual(of_kind(docs, "Secret"), [])
        self.assertEqual(env_of(docs), {})
        args = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]["args"]
        self.assertIn("--tencentcloud.cvm-role=tcorg-node-role", args)
        self.assertIn("--tencentcloud.metadata-endpoint=http://metadata.tencentyun.com", args)
        self.assertNotIn("annotations", one(docs, "ServiceAccount")["metadata"])

    def test_roles_exclude_keys(self):
        for role in ("credentials.tkeOidc.enabled=true,credentials.tkeOidc.roleArn=qcs::cam::uin/1:roleName/r",
                     "credentials.cvmRole.enabled=true"):
            for keys in ("credentials.existingSecret=e", "credentials.fileSecret=f"):
                with self.subTest(role=role, keys=keys):
                    proc = helm("template", "rel", CHART, "--set", role, "--set", keys, check=False)
                    self.assertNotEqual(proc.returncode, 0)
                    self.assertIn("tkeOidc or cvmRole cannot be combined", proc.stderr)

    def test_tke_oidc_needs_role_arn(self):
        proc = helm("template", "rel", CHART, "--set", "credentials.tkeOidc.enabled=true", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("credentials.tkeOidc.roleArn is required", proc.stderr)

    def test_role_arn_shape_checked_by_schema(self):
        proc = helm("template", "rel", CHART, "--set", "credentials.roleArn=arn:aws:iam::1:role/x", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("roleArn", proc.stderr)


if __name__ == "__main__":
    unittest.main()
