#!/usr/bin/env python3
"""Checks the Grafana dashboards in dashboards/ against the project's rules (standard library only).

  check_dashboards.py [DASHBOARD.json|DIR ...]      check; prints OK or the problems, exit 1 on any
  check_dashboards.py --print-exprs                  also print every panel query with the template
                                                     variables substituted, one per line, no duplicates
  --var NAME=VALUE        override a substitution (defaults: job=tencentcloud-org-exporter, instance=.*,
                          __rate_interval=1m, __interval=1m, __range=1h, ...)
  --promtool PATH         parse every substituted query with `promtool check rules` (default: promtool
                          from PATH when there is one); --no-promtool skips it
  --rules FILE            rule file whose recording rules dashboards may use (default: alerts/*.yml)

Rules checked: valid JSON; fixed uid, id null, schemaVersion 39, no __inputs; variables datasource
(type datasource, prometheus), job and instance (label_values on tencentcloud_org_exporter_build_info);
unique panel ids including panels nested in rows; every panel and target uses the ${datasource}
variable; every panel has a description and a unit; rate-like functions use [$__rate_interval], no
literal ranges; every metric is in the exporter's contract (or up, or a recording rule) and every
selector filters on job=~"$job" and instance=~"$instance".
"""

import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
SCHEMA_VERSION = 39
BUILD_INFO = "tencentcloud_org_exporter_build_info"

# The metric contract of the exporter (see the exporter's metrics/ and the README).
CONTRACT = {
    "tencentcloud_org_invitations",
    "tencentcloud_org_invitation_expiry_timestamp_seconds",
    "tencentcloud_org_members",
    "tencentcloud_org_member_info",
    "tencentcloud_org_member_join_timestamp_seconds",
    "tencentcloud_org_node_info",
    "tencentcloud_org_api_requests_total",
    "tencentcloud_org_api_errors_total",
    "tencentcloud_org_api_rate_limit_wait_seconds_total",
    "tencentcloud_org_collector_success",
    "tencentcloud_org_collector_last_success_timestamp_seconds",
    "tencentcloud_org_collector_duration_seconds",
    "tencentcloud_org_collector_interval_seconds",
    "tencentcloud_org_credentials_info",
    "tencentcloud_org_credentials_expiry_timestamp_seconds",
    "tencentcloud_org_credentials_refresh_errors_total",
    BUILD_INFO,
    # Process self-metrics, named as client_golang's process collector names them.
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
    "process_virtual_memory_bytes",
    "process_open_fds",
    "process_max_fds",
    "process_start_time_seconds",
}
HISTOGRAMS = {"tencentcloud_org_api_request_duration_seconds"}
SCRAPE_METRICS = {"up"}

DEFAULT_VARS = {
    "job": "tencentcloud-org-exporter",
    "instance": ".*",
    "__rate_interval": "1m",
    "__interval": "1m",
    "__interval_ms": "60000",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
}
# Panel types that show no numbers and so need no unit.
NO_UNIT_TYPES = {"row", "text", "news", "dashlist", "alertlist", "annolist"}
RATE_FUNCS = {"rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
            "and", "or", "unless", "inf", "nan"}

VAR_RE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
IDENT_RE = re.compile(r"(?<![\w.:$])[A-Za-z_:][\w:]*")
GROUPING_RE = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def blank_strings(expr):
    """The expression with the content of every string literal replaced by spaces (same length)."""
    return STRING_RE.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], expr)


def matching(text, start, open_ch, close_ch):
    """Index just after the bracket that closes text[start] (an open_ch)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == open_ch:
            depth += 1
        elif text[i] == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def masked(text, open_ch, close_ch, keep):
    """text with the inside of every open_ch...close_ch pair replaced by spaces."""
    out, i = [], 0
    while i < len(text):
        if text[i] == open_ch:
            end = matching(text, i, open_ch, close_ch)
            out.append(open_ch + (text[i + 1:end - 1] if keep else " " * (end - i - 2)) + close_ch)
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def metric_selectors(expr):
    """(metric name, matcher text or None) for every vector selector of the expression."""
    blank = blank_strings(expr)
    scan = masked(masked(blank, "{", "}", keep=False), "[", "]", keep=False)
    scan = GROUPING_RE.sub(lambda m: " " * len(m.group(0)), scan)
    found = []
    for m in IDENT_RE.finditer(scan):
        name, rest = m.group(0), scan[m.end():].lstrip()
        if rest.startswith("(") or name.lower() in KEYWORDS:
            continue
        before = scan[:m.start()].rstrip()
        if before.endswith("offset") or before.endswith("@"):
            continue
        brace = scan.find("{", m.end())
        matchers = None
        if brace != -1 and scan[m.end():brace].strip() == "":
            matchers = expr[brace:matching(blank, brace, "{", "}")]
        found.append((name, matchers))
    return found


def range_problems(expr):
    """Range selectors that are literal, or not [$__rate_interval] inside a rate-like function."""
    blank = blank_strings(expr)
    problems = []
    for m in re.finditer(r"\[([^\]]*)\]", blank):
        inner = expr[m.start() + 1:m.end() - 1].strip()
        if "$" not in inner:
            problems.append(f"literal range [{inner}]: use [$__rate_interval] (or $__range/$__interval)")
            continue
        depth, func = 0, None
        for i in range(m.start() - 1, -1, -1):
            if blank[i] == ")":
                depth += 1
            elif blank[i] == "(":
                if depth == 0:
                    func = re.search(r"(\w+)\s*$", blank[:i])
                    func = func.group(1) if func else None
                    break
                depth -= 1
        if func in RATE_FUNCS and inner not in ("$__rate_interval", "${__rate_interval}"):
            problems.append(f"{func}() over [{inner}]: use [$__rate_interval]")
    return problems


def substitute(expr, values, unknown):
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name.isdigit():  # $1 in label_replace replacements
            return m.group(0)
        if name not in values:
            unknown.add(name)
            return m.group(0)
        return values[name]
    return " ".join(VAR_RE.sub(repl, expr).split())


def walk_panels(panels):
    for p in panels or []:
        yield p
        yield from walk_panels(p.get("panels"))


def recording_rules(paths):
    names = set()
    for path in paths:
        names.update(re.findall(r"^\s*-?\s*record:\s*[\"']?([A-Za-z_:][\w:]*)", path.read_text(), re.M))
    return names


class Checker:
    def __init__(self, allowed):
        self.allowed = allowed
        self.errors = []
        self.exprs = []  # (where, expr)
        self.uids = {}

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def check_file(self, path):
        try:
            dash = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            self.err(path.name, f"not valid JSON: {e}")
            return
        name = path.name
        uid = dash.get("uid")
        if not isinstance(uid, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
            self.err(name, f"uid must be a fixed string of 1-40 [A-Za-z0-9_-], got {uid!r}")
        elif uid in self.uids:
            self.err(name, f"uid {uid!r} also used by {self.uids[uid]}")
        else:
            self.uids[uid] = name
        if dash.get("id") is not None:
            self.err(name, "id must be null so Grafana assigns one")
        if dash.get("schemaVersion") != SCHEMA_VERSION:
            self.err(name, f"schemaVersion must be {SCHEMA_VERSION}, got {dash.get('schemaVersion')!r}")
        for key in ("__inputs", "__requires"):
            if key in dash:
                self.err(name, f"{key} present: export with 'share externally' off (provisioning-ready)")
        if "${DS_" in path.read_text():
            self.err(name, "leftover ${DS_...} input reference")
        if not dash.get("title") or not dash.get("description"):
            self.err(name, "dashboard needs a title and a description")
        variables = self.check_variables(name, dash)
        ids = set()
        for panel in walk_panels(dash.get("panels")):
            self.check_panel(name, panel, ids, variables)

    def check_variables(self, name, dash):
        variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
        ds = variables.get("datasource")
        if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
            self.err(name, "needs variable 'datasource' of type datasource with query 'prometheus'")
        for var in ("job", "instance"):
            v = variables.get(var)
            if not v or v.get("type") != "query":
                self.err(name, f"needs query variable '{var}'")
                continue
            if v.get("datasource") != DATASOURCE:
                self.err(name, f"variable '{var}' must use datasource {DATASOURCE}")
            query = v.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query or ""
            if f"label_values({BUILD_INFO}" not in query.replace(" ", ""):
                self.err(name, f"variable '{var}' must query label_values({BUILD_INFO}...), got {query!r}")
        return set(variables)

    def check_panel(self, name, panel, ids, variables):
        title = panel.get("title") or "(untitled)"
        where = f"{name}: panel {panel.get('id')} {title!r}"
        pid = panel.get("id")
        if not isinstance(pid, int):
            self.err(where, "id must be an integer")
        elif pid in ids:
            self.err(where, "duplicate panel id")
        ids.add(pid)
        grid = panel.get("gridPos") or {}
        if not all(isinstance(grid.get(k), int) for k in "hwxy") or grid["x"] + grid["w"] > 24:
            self.err(where, f"bad gridPos {grid}")
        ptype = panel.get("type")
        if ptype == "row":
            if "datasource" in panel and panel["datasource"] != DATASOURCE:
                self.err(where, f"row datasource must be {DATASOURCE} or absent")
            return
        if panel.get("datasource") != DATASOURCE:
            self.err(where, f"datasource must be {DATASOURCE}, got {panel.get('datasource')}")
        if not str(panel.get("description", "")).strip():
            self.err(where, "no description")
        if ptype not in NO_UNIT_TYPES:
            unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
            if not isinstance(unit, str) or not unit.strip():
                self.err(where, "no unit in fieldConfig.defaults.unit")
        targets = panel.get("targets") or []
        if ptype not in NO_UNIT_TYPES and not targets:
            self.err(where, "no queries")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs):
            self.err(where, f"duplicate refIds {refs}")
        for t in targets:
            self.check_target(f"{where} {t.get('refId')}", t, variables)

    def check_target(self, where, target, variables):
        if target.get("datasource") != DATASOURCE:
            self.err(where, f"target datasource must be {DATASOURCE}, got {target.get('datasource')}")
        expr = target.get("expr", "")
        if not expr.strip():
            self.err(where, "empty expr")
            return
        for name in {m.group(1) or m.group(2) or m.group(3) for m in VAR_RE.finditer(expr)}:
            if not name.isdigit() and name not in variables and not name.startswith("__"):
                self.err(where, f"uses ${name}, which is not a variable of this dashboard")
        for problem in range_problems(expr):
            self.err(where, problem)
        for metric, matchers in metric_selectors(expr):
            base = re.sub(r"_(bucket|sum|count)$", "", metric)
            if metric not in self.allowed and base not in HISTOGRAMS:
                self.err(where, f"metric {metric} is not in the exporter's contract")
                continue
            text = (matchers or "").replace(" ", "")
            for var in ("job", "instance"):
                if not re.search(rf'{var}=~"\$(\{{)?{var}\}}?"', text):
                    self.err(where, f'selector {metric}{matchers or ""} lacks {var}=~"${var}"')
        self.exprs.append((where, expr))

    def check_promtool(self, promtool, exprs):
        """Parse each expression as a recording rule; report the ones promtool rejects."""
        def run(items):
            rules = {"groups": [{"name": "dashboard_exprs", "rules": [
                {"record": f"dashboard:expr_{i}:check", "expr": e} for i, (_, e) in enumerate(items)]}]}
            with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
                json.dump(rules, f)  # JSON is YAML
            try:
                return subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
            finally:
                pathlib.Path(f.name).unlink()

        if run(exprs).returncode == 0:
            return
        for where, expr in exprs:
            result = run([(where, expr)])
            if result.returncode != 0:
                msg = " ".join((result.stdout + result.stderr).split())
                self.err(where, f"promtool rejects `{expr}`: {msg}")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=pathlib.Path, help="dashboard files or directories")
    ap.add_argument("--print-exprs", action="store_true")
    ap.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--promtool")
    ap.add_argument("--no-promtool", action="store_true")
    ap.add_argument("--rules", action="append", type=pathlib.Path)
    args = ap.parse_args(argv)

    values = dict(DEFAULT_VARS)
    for item in args.var:
        key, sep, value = item.partition("=")
        if not sep:
            ap.error(f"--var wants NAME=VALUE, got {item!r}")
        values[key] = value

    files = []
    for p in args.paths or [REPO / "dashboards"]:
        files += sorted(p.glob("*.json")) if p.is_dir() else [p]
    if not files:
        print("no dashboards found", file=sys.stderr)
        return 1
    rules = args.rules or sorted((REPO / "alerts").glob("*.yml"))
    checker = Checker(CONTRACT | SCRAPE_METRICS | recording_rules(rules))
    for f in files:
        checker.check_file(f)

    unknown, unique = set(), {}
    for where, expr in checker.exprs:
        unique.setdefault(substitute(expr, values, unknown), where)
    for name in sorted(unknown):
        checker.err("substitution", f"no value for ${name}: pass --var {name}=VALUE")

    promtool = None if args.no_promtool else (args.promtool or shutil.which("promtool"))
    if promtool:
        checker.check_promtool(promtool, [(w, e) for e, w in unique.items()])

    if args.print_exprs:
        for expr in unique:
            print(expr)
    for e in checker.errors:
        print(f"ERROR {e}", file=sys.stderr)
    if checker.errors:
        return 1
    if not args.print_exprs:
        parsed = f", parsed by {promtool}" if promtool else ", not parsed (no promtool)"
        print(f"OK: {len(files)} dashboards, {len(checker.exprs)} queries ({len(unique)} distinct){parsed}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
