"""Workload invariants for every values file: one replica, Recreate, probes, hardening, image, ports."""
import unittest

from helmtest import VALUES_FILES, chart_meta, label, load_values, one, render


def expected_image(values):
    image = values["image"]
    repo = f"{image['registry']}/{image['repository']}" if image["registry"] else image["repository"]
    if image["digest"]:
        return f"{repo}@{image['digest']}"
    return f"{repo}:{image['tag'] or chart_meta()['appVersion']}"


class DeploymentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cases = [(label(v), load_values(v), render(v)) for v in VALUES_FILES]

    @staticmethod
    def container(docs):
        containers = one(docs, "Deployment")["spec"]["template"]["spec"]["containers"]
        assert len(containers) == 1, containers
        return containers[0]

    def test_single_replica_recreate(self):
        for name, _, docs in self.cases:
            with self.subTest(values=name):
                spec = one(docs, "Deployment")["spec"]
                self.assertEqual(spec["replicas"], 1)
                self.assertEqual(spec["strategy"], {"type": "Recreate"})

    def test_probes(self):
        for name, values, docs in self.cases:
            with self.subTest(values=name):
                c = self.container(docs)
                self.assertEqual(c["readinessProbe"]["httpGet"], {"path": "/-/ready", "port": "http"})
                if "httpGet" in values["livenessProbe"]:
                    self.assertEqual(c["livenessProbe"]["httpGet"], {"path": "/-/healthy", "port": "http"})
                else:  # a replaced handler must not leave the default httpGet behind (null in values deletes it)
                    self.assertNotIn("httpGet", c["livenessProbe"])
                    handlers = [k for k in c["livenessProbe"] if k in ("httpGet", "tcpSocket", "exec", "grpc")]
                    self.assertEqual(len(handlers), 1)
        default = self.container(render())
        self.assertEqual(default["livenessProbe"]["httpGet"]["path"], "/-/healthy")

    def test_security_context(self):
        for name, _, docs in self.cases:
            with self.subTest(values=name):
                pod = one(docs, "Deployment")["spec"]["template"]["spec"]
                psc, csc = pod.get("securityContext", {}), self.container(docs)["securityContext"]
                self.assertIs(csc["allowPrivilegeEscalation"], False)
                self.assertIs(csc["readOnlyRootFilesystem"], True)
                self.assertEqual(csc["capabilities"]["drop"], ["ALL"])
                self.assertIs(csc.get("runAsNonRoot", psc.get("runAsNonRoot")), True)
                seccomp = csc.get("seccompProfile", psc.get("seccompProfile"))
                self.assertEqual(seccomp, {"type": "RuntimeDefault"})
                self.assertNotEqual(csc.get("runAsUser", psc.get("runAsUser")), 0)
                self.assertIs(pod["automountServiceAccountToken"], False)

    def test_image(self):
        for name, values, docs in self.cases:
            with self.subTest(values=name):
                self.assertEqual(self.container(docs)["image"], expected_image(values))
        self.assertEqual(self.container(render())["image"],
                         f"docker.io/tencentcloud-org-exporter/tencentcloud-org-exporter:{chart_meta()['appVersion']}")

    def test_ports_and_service(self):
        for name, values, docs in self.cases:
            with self.subTest(values=name):
                c = self.container(docs)
                want_port = {"name": "http", "containerPort": values["containerPort"], "protocol": "TCP"}
                self.assertEqual(c["ports"], [want_port])
                self.assertIn(f"--web.listen-address=:{values['containerPort']}", c["args"])
                self.assertIn(f"--web.telemetry-path={values['telemetryPath']}", c["args"])
                service = one(docs, "Service")
                self.assertEqual(service["spec"]["ports"][0]["port"], values["service"]["port"])
                self.assertEqual(service["spec"]["ports"][0]["targetPort"], "http")
                selector = one(docs, "Deployment")["spec"]["selector"]["matchLabels"]
                self.assertEqual(service["spec"]["selector"], selector)
        self.assertEqual(one(render(), "Service")["spec"]["ports"][0]["port"], 10110)

    def test_config_flags(self):
        all_features = next(v for v in VALUES_FILES if v and v.endswith("all-features-values.yaml"))
        args = self.container(render(all_features))["args"]
        for flag in ["--tencentcloud.region=ap-guangzhou", "--tencentcloud.time-zone-offset=+08:00",
                     "--api.requests-per-second=10", "--no-collector.members.list",
                     "--members.uin=100012345678", "--members.uin=100087654321", "--log.format=json",
                     "--web.config.file=/etc/tencentcloud-org-exporter/web/web-config.yml"]:
            self.assertIn(flag, args)
        # Unset options leave the exporter's own defaults alone.
        defaults = self.container(render())["args"]
        self.assertEqual(defaults, ["--web.listen-address=:10110", "--web.telemetry-path=/metrics"])


if __name__ == "__main__":
    unittest.main()
