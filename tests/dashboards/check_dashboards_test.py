#!/usr/bin/env python3
"""Tests of check_dashboards.py: each rule catches a dashboard broken on purpose (standard library only)."""

import contextlib
import copy
import io
import json
import pathlib
import shutil
import tempfile
import unittest

import check_dashboards as cd

HEALTH = cd.REPO / "dashboards" / "tencentcloud-org-exporter-health.json"
PROMTOOL = shutil.which("promtool")


def panel(dash, title):
    return next(p for p in cd.walk_panels(dash["panels"]) if p.get("title") == title)


def set_expr(dash, title, expr):
    panel(dash, title)["targets"][0]["expr"] = expr


class ExprParsingTest(unittest.TestCase):
    def test_selectors_skip_functions_keywords_strings_and_numbers(self):
        expr = ('sum by (job, instance) (rate(a_total{job=~"$job", code=~"up|b"}[$__rate_interval] offset 5m))'
                ' / on (job) group_left (x) b > bool 1e9 or label_replace(c, "d", "$1", "e", "(.*)")')
        self.assertEqual([n for n, _ in cd.metric_selectors(expr)], ["a_total", "b", "c"])
        self.assertEqual(cd.metric_selectors(expr)[0][1], '{job=~"$job", code=~"up|b"}')

    def test_ranges(self):
        self.assertEqual(cd.range_problems("rate(x[$__rate_interval])"), [])
        self.assertEqual(cd.range_problems("max_over_time(x[$__range])"), [])
        self.assertEqual(len(cd.range_problems("increase(x[$__range])")), 1)
        self.assertEqual(len(cd.range_problems("max_over_time(x[5m])")), 1)

    def test_substitute(self):
        unknown = set()
        out = cd.substitute('rate(x{job=~"$job",i=~"${instance}"}[$__rate_interval]) $__range_s "$1" $zz',
                            cd.DEFAULT_VARS, unknown)
        self.assertEqual(out, 'rate(x{job=~"tencentcloud-org-exporter",i=~".*"}[1m]) 3600 "$1" $zz')
        self.assertEqual(unknown, {"zz"})


class DashboardRulesTest(unittest.TestCase):
    def setUp(self):
        self.base = json.loads(HEALTH.read_text())
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def errors(self, dash, promtool=None):
        path = self.tmp / "d.json"
        path.write_text(json.dumps(dash))
        checker = cd.Checker(cd.CONTRACT | cd.SCRAPE_METRICS)
        checker.check_file(path)
        if promtool:
            checker.check_promtool(promtool, [(w, cd.substitute(e, cd.DEFAULT_VARS, set()))
                                              for w, e in checker.exprs])
        return "\n".join(checker.errors)

    def broken(self, mutate):
        dash = copy.deepcopy(self.base)
        mutate(dash)
        return self.errors(dash)

    def test_shipped_dashboards_pass(self):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(cd.main(["--no-promtool"]), 0)
        self.assertIn("OK: 2 dashboards", out.getvalue())

    def test_each_rule(self):
        cases = {
            "not valid JSON": None,
            "uid must be": lambda d: d.pop("uid"),
            "schemaVersion must be 39": lambda d: d.update(schemaVersion=38),
            "__inputs present": lambda d: d.update(__inputs=[]),
            "id must be null": lambda d: d.update(id=7),
            "variable 'datasource'": lambda d: d["templating"]["list"][0].update(type="custom"),
            "label_values(tencentcloud_org_exporter_build_info": lambda d: d["templating"]["list"][1].update(
                query="label_values(up, job)"),
            "duplicate panel id": lambda d: d["panels"][0]["panels"].append(copy.deepcopy(panel(d, "Version"))),
            "no description": lambda d: panel(d, "Version").pop("description"),
            "no unit": lambda d: panel(d, "Data age")["fieldConfig"]["defaults"].pop("unit"),
            "datasource must be": lambda d: panel(d, "Scrape").update(datasource={"type": "prometheus", "uid": "x"}),
            "target datasource must be": lambda d: panel(d, "Scrape")["targets"][0].update(datasource=None),
            "literal range [5m]": lambda d: set_expr(d, "Rate-limit waiting", 'rate(up{job=~"$job", instance=~"$instance"}[5m])'),
            "rate() over [$__interval]": lambda d: set_expr(d, "Rate-limit waiting", 'rate(up{job=~"$job", instance=~"$instance"}[$__interval])'),
            "not in the exporter's contract": lambda d: set_expr(d, "Scrape", 'tencentcloud_org_members_total{job=~"$job", instance=~"$instance"}'),
            'lacks job=~"$job"': lambda d: set_expr(d, "Scrape", "sum(up)"),
            "not a variable of this dashboard": lambda d: set_expr(d, "Scrape", 'up{job=~"$job", instance=~"$instance", c="$cluster"}'),
        }
        for expected, mutate in cases.items():
            with self.subTest(expected):
                if mutate is None:
                    (self.tmp / "d.json").write_text("{")
                    checker = cd.Checker(cd.CONTRACT)
                    checker.check_file(self.tmp / "d.json")
                    self.assertIn(expected, "\n".join(checker.errors))
                else:
                    self.assertIn(expected, self.broken(mutate))

    @unittest.skipUnless(PROMTOOL, "promtool not on PATH")
    def test_promtool_rejects_syntax_errors(self):
        dash = copy.deepcopy(self.base)
        set_expr(dash, "Scrape", 'sum(up{job=~"$job", instance=~"$instance"}')
        self.assertIn("promtool rejects `sum(up{", self.errors(dash, PROMTOOL))


if __name__ == "__main__":
    unittest.main()
