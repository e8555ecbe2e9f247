"""The PrometheusRule and the dashboards ConfigMap carry the repository's alerts/ and dashboards/ unchanged.

The chart reads them through symlinks in files/ (helm follows them in template, lint and package), so there is
no second copy that could drift; these tests also catch a symlink replaced by a copy or pointed elsewhere.
"""
import os
import tarfile
import unittest

from helmtest import CHART, DASHBOARDS, RULES, VALUES_FILES, helm, one, render, tempdir, yaml

RULES_LINK = CHART / "files" / "tencentcloud-org-exporter.rules.yml"
DASHBOARDS_LINK = CHART / "files" / "dashboards"


def values_file(name):
    return next(v for v in VALUES_FILES if v and v.endswith(name))


def source_groups():
    return yaml.safe_load(RULES.read_text())["groups"]


def source_dashboards():
    files = sorted(DASHBOARDS.glob("*.json"))
    assert files, f"no dashboards in {DASHBOARDS}"
    return {p.name: p.read_bytes() for p in files}


class SingleSourceTest(unittest.TestCase):
    def test_files_are_symlinks_to_the_sources(self):
        self.assertTrue(RULES_LINK.is_symlink(), f"{RULES_LINK} must be a symlink, not a copy")
        self.assertEqual(os.readlink(RULES_LINK), "../../../alerts/tencentcloud-org-exporter.rules.yml")
        self.assertTrue(DASHBOARDS_LINK.is_symlink(), f"{DASHBOARDS_LINK} must be a symlink, not a copy")
        self.assertEqual(os.readlink(DASHBOARDS_LINK), "../../../dashboards")

    def test_prometheus_rule_equals_rule_file(self):
        rule = one(render(values_file("existing-secret-values.yaml")), "PrometheusRule")
        self.assertEqual(rule["spec"]["groups"], source_groups())
        self.assertEqual(rule["metadata"]["namespace"], "obs")

    def test_additional_rule_labels_only_add_labels(self):
        rule = one(render(values_file("all-features-values.yaml")), "PrometheusRule")
        want = source_groups()
        for group in want:
            for r in group["rules"]:
                if "alert" in r:
                    r["labels"] = {"team": "platform", **r.get("labels", {})}
        self.assertEqual(rule["spec"]["groups"], want)

    def test_dashboards_configmap_equals_dashboard_files(self):
        for name in ("existing-secret-values.yaml", "all-features-values.yaml"):
            with self.subTest(values=name):
                cms = [d for d in render(values_file(name)) if d["kind"] == "ConfigMap"
                       and d["metadata"]["labels"].get("grafana_dashboard") == "1"]
                self.assertEqual(len(cms), 1)
                data = {k: v.encode() for k, v in cms[0]["data"].items()}
                self.assertEqual(data, source_dashboards())

    def test_disabled_by_default(self):
        kinds = {d["kind"] for d in render()}
        self.assertEqual(kinds, {"Deployment", "Service", "ServiceAccount"})

    def test_packaged_chart_holds_real_files(self):
        with tempdir() as out:
            helm("package", CHART, "--destination", out)
            (tgz,) = [os.path.join(out, f) for f in os.listdir(out)]
            with tarfile.open(tgz) as tar:
                members = {m.name: m for m in tar.getmembers()}
                self.assertFalse([m.name for m in members.values() if m.issym() or m.islnk()])
                rules = tar.extractfile("tencentcloud-org-exporter/files/tencentcloud-org-exporter.rules.yml")
                self.assertEqual(rules.read(), RULES.read_bytes())
                for name, content in source_dashboards().items():
                    self.assertEqual(tar.extractfile(f"tencentcloud-org-exporter/files/dashboards/{name}").read(),
                                     content)
                self.assertFalse([n for n in members if "/ci/" in n], "ci/ values must stay out of the package")
            out_docs = [d for d in yaml.safe_load_all(helm(
                "template", "rel", tgz, "--set", "prometheusRule.enabled=true").stdout) if d]
            self.assertEqual(one(out_docs, "PrometheusRule")["spec"]["groups"], source_groups())


if __name__ == "__main__":
    unittest.main()
