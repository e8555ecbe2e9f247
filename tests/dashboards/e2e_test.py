#!/usr/bin/env python3
"""End-to-end test of the dashboards and alert rules against a real Prometheus.

Starts the API simulator, the exporter against it and a real `prometheus` server that scrapes the
exporter every second and evaluates the repository's alert rules every second (from a test-only
copy with every `for:` shortened to 1s), then:

1. waits until the target is up and the alerts settle: the expiring-invitation alerts must fire
   (warning for every pending invitation with less than 72h left, critical below 24h), with the
   id/uin/host_uin labels of the invitations in the simulator's ground truth (GET /_sim/org) and
   rendered annotations; no other alert may be pending or firing and no rule may fail to evaluate.
   The exporter's expiry timestamps must equal the simulator's;
2. checks that the dashboards' job and instance variables offer this job and target, injects a few InternalError answers and failing STS refreshes (PUT /_sim/faults) so the error and credential series move, and evaluates
   every query of every dashboard panel (check_dashboards.py --print-exprs, variables substituted
   for this setup) through /api/v1/query: each must succeed and return a non-empty result with at
   least one number that is not NaN, and a positive one if it takes a rate();
3. turns the faults off and checks the alerts again: the expiring ones still fire, and none of the
   others is active except TencentCloudOrgApiErrorRatioHigh, which the injected errors may trip.

Only loopback addresses; every wait is bounded; all processes are stopped and the temporary
directory removed on exit. Python standard library only.
"""

import argparse
import ctypes
import json
import math
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]

JOB = "tencentcloud-org-exporter"  # matches the rules' default job=~".*tencentcloud.*org.*"
SECRET_ID = "AKIDe2eDASHBOARDS"
SECRET_KEY = "e2e-dashboards-secret-key-7c1d"
SCRAPE_INTERVAL_S = 1
# Grafana's $__rate_interval is max($__interval + scrape interval, 4 x scrape interval); 15s is
# well above 4 x 1s and spans at least one cycle of every collector (invitations 5s, members 10s).
RATE_INTERVAL = "15s"
INVITATIONS_INTERVAL = "5s"
MEMBERS_INTERVAL = "10s"
# Error probability while the error panels are checked: enough for an error every few seconds,
# low enough that the exporter's retries (3) keep every collection cycle successful.
FAULT_INTERNAL_ERROR = 0.05

EXPIRING = "TencentCloudOrgInvitationExpiringSoon"
# Active in phase 3 only because this test injects errors on purpose: with few requests per action
# (ListOrganizationNodes is called once per members cycle), one error can exceed its 10% ratio.
# The fault phase also fails STS, so the assumed-role keys' refreshes fail and the keys may
# expire, and with them the collectors (until the next refresh after the faults end).
ALLOWED_AFTER_FAULTS = {"TencentCloudOrgApiErrorRatioHigh", "TencentCloudOrgCredentialsExpiring",
                        "TencentCloudOrgCredentialsExpired", "TencentCloudOrgCollectorFailing"}
ROLE_ARN = "qcs::cam::uin/100000000001:roleName/org-reader"
# Short-lived assumed-role keys (refreshed at half their lifetime), so the credential series move.
KEY_LIFETIME_S = 8
WARNING_LEFT_S = 72 * 3600
CRITICAL_LEFT_S = 24 * 3600

# Direct HTTP to loopback only: never through a proxy from the environment.
HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy",
              "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"}


class Failure(Exception):
    pass


def log(msg):
    print(f"[e2e {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def http(method, url, body=None, timeout=5):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with HTTP.open(req, timeout=timeout) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def get_json(url, timeout=5):
    status, text = http("GET", url, timeout=timeout)
    if status != 200:
        raise Failure(f"GET {url}: HTTP {status}: {text[:500]}")
    return json.loads(text)


def wait_for(what, timeout, probe, interval=0.25):
    """Calls probe() until it returns something truthy; raises Failure after timeout seconds.
    probe may raise OSError/ValueError/Failure while the thing is not ready; the last one is shown."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except (OSError, ValueError, Failure) as e:
            last = e
        if time.monotonic() >= deadline:
            raise Failure(f"timed out after {timeout}s waiting for {what}" + (f": {last}" if last else ""))
        time.sleep(interval)


def die_with_parent():
    """Asks the kernel for a SIGTERM when the calling process's parent dies. The children call it,
    so they stop if this test is killed (e.g. SIGKILL); so does this test, for its launcher."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Processes:
    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []  # (name, Popen, log path)

    def start(self, name, args, env):
        path = self.workdir / f"{name}.log"
        with open(path, "wb") as out:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    env=env, cwd=self.workdir, preexec_fn=die_with_parent)
        self.procs.append((name, proc, path))
        return proc, path

    def check_alive(self):
        for name, proc, path in self.procs:
            if proc.poll() is not None:
                raise Failure(f"{name} exited with status {proc.returncode}\n{tail(path)}")

    def stop_all(self):
        for _, proc, _ in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for name, proc, _ in reversed(self.procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} ignored SIGTERM, killing it")
                proc.kill()
                proc.wait(timeout=5)

    def dump_logs(self):
        for name, _, path in self.procs:
            print(f"----- {name} log (last lines) -----\n{tail(path)}", file=sys.stderr)


def tail(path, lines=40):
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and not k.startswith("TENCENTCLOUD_")}
    env["HOME"] = "/nonexistent"  # no credentials file from the user's home
    env.update(extra)
    return env


def test_only_rules(source, dest):
    """TEST-ONLY TRANSFORMATION: a copy of the rule file with every `for:` shortened to 1s, so
    alerts fire within seconds instead of 5-15 minutes. Expressions, labels and annotations are
    unchanged. (The `for:` durations themselves are covered by promtool in alerts_test.yml.)"""
    text, n = re.subn(r"(?m)^(\s+)for:\s*\S+\s*$", r"\1for: 1s", source.read_text())
    if n == 0:
        raise Failure(f"no `for:` found in {source}: has the rule file changed shape?")
    dest.write_text("# TEST-ONLY copy of " + str(source) + " with `for:` shortened to 1s (e2e_test.py).\n" + text)
    return n


def dashboard_exprs(checker, dashboards, instance_regex):
    args = [sys.executable, str(checker), "--print-exprs", "--no-promtool",
            "--var", f"job={JOB}", "--var", f"instance={instance_regex}",
            "--var", f"__rate_interval={RATE_INTERVAL}", "--var", f"__interval={SCRAPE_INTERVAL_S}s",
            str(dashboards)]
    res = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise Failure(f"{' '.join(args)} failed:\n{res.stdout}{res.stderr}")
    exprs = [line for line in res.stdout.splitlines() if line.strip()]
    if not exprs:
        raise Failure("check_dashboards.py --print-exprs printed no expressions")
    return exprs


def variable_queries(dashboards):
    """(dashboard file, variable, selector, label) of every label_values(selector, label) variable."""
    out = []
    for path in sorted(dashboards.glob("*.json")):
        for var in json.loads(path.read_text()).get("templating", {}).get("list", []):
            query = var.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query or ""
            m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", query)
            if var.get("type") == "query" and m:
                out.append((path.name, var["name"], m.group(1).strip(), m.group(2)))
    return out


def grafana_regex_escape(value):
    """What Grafana puts in `=~"..."` for a multi-value/All variable: regex-escaped, then the
    backslashes doubled for the PromQL string."""
    return re.sub(r"([\\^$*+?.()|{}\[\]])", r"\\\\\1", value)


class Prometheus:
    def __init__(self, base):
        self.base = base

    def query(self, expr):
        url = f"{self.base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        status, text = http("GET", url, timeout=10)
        try:
            doc = json.loads(text)
        except ValueError:
            raise Failure(f"query {expr!r}: HTTP {status}, not JSON: {text[:300]}")
        return doc

    def scalar_or_vector(self, expr):
        doc = self.query(expr)
        if doc.get("status") != "success":
            raise Failure(f"query {expr!r}: {doc.get('errorType')}: {doc.get('error')}")
        return doc["data"]

    def alerts(self):
        doc = get_json(f"{self.base}/api/v1/alerts")
        return doc["data"]["alerts"]

    def label_values(self, selector, label):
        """What Grafana's label_values(selector, label) offers."""
        url = f"{self.base}/api/v1/label/{label}/values?" + urllib.parse.urlencode({"match[]": selector})
        return get_json(url)["data"]

    def rule_problems(self):
        """Rules whose last evaluation failed (e.g. many-to-many matching, only seen at run time)."""
        groups = get_json(f"{self.base}/api/v1/rules")["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        if not rules:
            return ["no rules loaded"]
        return [f"{r['name']}: {r.get('health')} {r.get('lastError', '')}".strip()
                for r in rules if r.get("health") != "ok"]


def numbers(data):
    """The sample values of a query result, as floats."""
    kind, result = data.get("resultType"), data.get("result")
    if kind in ("scalar", "string"):
        return [float(result[1])] if result else []
    values = []
    for series in result or []:
        if "value" in series:
            values.append(float(series["value"][1]))
        values += [float(v) for _, v in series.get("values", [])]
    return values


def expected_expiring(org, now):
    """{(severity, direction, id): invitation} for the pending invitations the alerts must name."""
    expected = {}
    for direction in ("received", "sent"):
        for inv in org[direction]:
            if inv["status"] != 0:  # pending
                continue
            left = inv["expire_time"] - now
            # Keep a margin from the thresholds so the test cannot race the clock.
            if 60 < left < WARNING_LEFT_S - 60:
                expected[("warning", direction, str(inv["id"]))] = inv
            if 60 < left < CRITICAL_LEFT_S - 60:
                expected[("critical", direction, str(inv["id"]))] = inv
            if abs(left - WARNING_LEFT_S) <= 60 or abs(left - CRITICAL_LEFT_S) <= 60:
                raise Failure(f"invitation {inv['id']} expires within a minute of a threshold; pick another --seed")
    return expected


def check_alerts(prom, org, allowed_extra=frozenset()):
    """None if the active alerts are exactly right, else a description of the difference."""
    expected = expected_expiring(org, time.time())
    alerts = prom.alerts()
    problems, seen = [], set()
    for a in alerts:
        labels, name, state = a["labels"], a["labels"].get("alertname"), a["state"]
        if name == EXPIRING:
            key = (labels.get("severity"), labels.get("direction"), labels.get("id"))
            inv = expected.get(key)
            if inv is None:
                problems.append(f"unexpected {state} {name} {labels}")
                continue
            seen.add(key)
            if state != "firing":
                problems.append(f"{name} {key} is {state}, not firing yet")
            for label in ("uin", "host_uin"):
                if labels.get(label) != str(inv[label]):
                    problems.append(f"{name} {key}: {label}={labels.get(label)!r}, /_sim/org says {inv[label]}")
            if labels.get("job") != JOB:
                problems.append(f"{name} {key}: job={labels.get('job')!r}")
        elif name not in allowed_extra:
            problems.append(f"unexpected {state} alert {name} {labels}")
        for key, text in a.get("annotations", {}).items():
            if "error expanding template" in text or "<no value>" in text:
                problems.append(f"{name} annotation {key} does not render: {text}")
    for key in sorted(set(expected) - seen):
        problems.append(f"{EXPIRING} {key} is not active")
    if not any(k[0] == "critical" and k[1] == "received" for k in expected):
        problems.append("the simulator's org has no received invitation expiring within 24h (test premise)")
    problems += [f"rule evaluation failed: {p}" for p in prom.rule_problems()]
    return "; ".join(problems) or None, alerts


def run(args):
    t0 = time.monotonic()
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="tcorg-dashboards-e2e-"))
    procs = Processes(workdir)
    try:
        # --- simulator ---------------------------------------------------------------------
        port_file = workdir / "simulator.port"
        procs.start("simulator", [args.simulator, "--listen-address=127.0.0.1:0", f"--port-file={port_file}",
                                  "--members=40", "--nodes=6", "--invitations=30", "--seed=5",
                                  f"--secret-id={SECRET_ID}", f"--secret-key={SECRET_KEY}",
                                  f"--role-arn={ROLE_ARN}", f"--temporary-key-lifetime={KEY_LIFETIME_S}"],
                    child_env())

        def sim_port():
            procs.check_alive()
            return int(port_file.read_text().strip())
        sim = f"http://127.0.0.1:{wait_for('the simulator port file', 10, sim_port)}"
        org = get_json(f"{sim}/_sim/org")
        log(f"simulator at {sim}: {len(org['members'])} members, {len(org['nodes'])} nodes, "
            f"{len(org['received'])}+{len(org['sent'])} invitations")

        # --- exporter ----------------------------------------------------------------------
        _, exporter_log = procs.start(
            "exporter", [args.exporter, "--web.listen-address=127.0.0.1:0", f"--tencentcloud.endpoint={sim}",
                         f"--collector.invitations.interval={INVITATIONS_INTERVAL}",
                         f"--collector.members.interval={MEMBERS_INTERVAL}",
                         f"--tencentcloud.role-arn={ROLE_ARN}", f"--tencentcloud.sts-endpoint={sim}",
                         "--tencentcloud.role-duration=15m"],
            child_env(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY))

        def exporter_port():
            procs.check_alive()
            m = re.search(r"msg=listening\b.*?\bport=(\d+)", exporter_log.read_text(errors="replace"))
            return int(m.group(1)) if m else None
        target = f"127.0.0.1:{wait_for('the exporter to listen', 10, exporter_port)}"
        log(f"exporter at {target}")

        # --- prometheus --------------------------------------------------------------------
        rules = workdir / "rules.yml"
        n_for = test_only_rules(args.rules, rules)
        config = workdir / "prometheus.yml"
        config.write_text(json.dumps({  # JSON is YAML
            "global": {"scrape_interval": f"{SCRAPE_INTERVAL_S}s", "scrape_timeout": f"{SCRAPE_INTERVAL_S}s",
                       "evaluation_interval": "1s"},
            "rule_files": [str(rules)],
            "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [target]}]}],
        }, indent=2))
        for attempt in range(3):  # the free port can be taken between probing and binding
            prom_port = free_port()
            proc, prom_log = procs.start(
                f"prometheus{attempt or ''}",
                [args.prometheus, f"--config.file={config}", f"--storage.tsdb.path={workdir / f'tsdb{attempt}'}",
                 f"--web.listen-address=127.0.0.1:{prom_port}", "--log.level=info"], child_env())
            prom = Prometheus(f"http://127.0.0.1:{prom_port}")

            def ready():
                if proc.poll() is not None:
                    return "exited"
                return http("GET", f"{prom.base}/-/ready", timeout=2)[0] == 200
            if wait_for("prometheus to be ready", 30, ready) is True:
                break
            if "address already in use" not in prom_log.read_text(errors="replace"):
                raise Failure(f"prometheus exited with {proc.returncode}\n{tail(prom_log)}")
        else:
            raise Failure("prometheus could not bind a free port 3 times")
        log(f"prometheus at {prom.base} ({n_for} `for:` shortened to 1s in a test-only rule copy)")

        def target_up():
            procs.check_alive()
            targets = get_json(f"{prom.base}/api/v1/targets")["data"]["activeTargets"]
            ok = [t for t in targets if t["labels"].get("job") == JOB and t["health"] == "up"]
            if not ok:
                raise Failure(f"targets: {[(t['scrapeUrl'], t['health'], t.get('lastError')) for t in targets]}")
            scrapes = prom.scalar_or_vector(f'count_over_time(up{{job="{JOB}",instance="{target}"}}[1m])')
            return scrapes["result"] and float(scrapes["result"][0]["value"][1]) >= 3
        wait_for("the exporter target to be up with 3 scrapes", 20, target_up)
        log("target up, scraped")

        # --- phase 1: alerts in the steady state -------------------------------------------
        state = {}

        def alerts_right():
            procs.check_alive()
            problem, state["alerts"] = check_alerts(prom, org)
            state["problem"] = problem
            return problem is None
        try:
            wait_for("the expected alerts", 25, alerts_right, interval=0.5)
        except Failure as e:
            raise Failure(f"{e}\nlast difference: {state.get('problem')}")
        firing = sorted((a["labels"]["severity"], a["labels"]["direction"], a["labels"]["id"], a["labels"]["uin"])
                        for a in state["alerts"])
        log(f"alerts right: {EXPIRING} firing for {firing}, nothing else active")

        # The exporter's expiry timestamps are the simulator's (the +08:00 API times parsed right).
        n_pending = 0
        for direction in ("received", "sent"):
            for inv in org[direction]:
                if inv["status"] != 0:
                    continue
                data = prom.scalar_or_vector(
                    f'tencentcloud_org_invitation_expiry_timestamp_seconds{{job="{JOB}",direction="{direction}",id="{inv["id"]}"}}')
                got = numbers(data)
                if got != [float(inv["expire_time"])]:
                    raise Failure(f"expiry of {direction} invitation {inv['id']}: {got}, /_sim/org says {inv['expire_time']}")
                n_pending += 1
        log(f"expiry timestamps of the {n_pending} pending invitations equal /_sim/org")

        # --- phase 2: the dashboards' variables, then every dashboard query ------------------
        want = {"job": JOB, "instance": target}
        n_vars = 0
        for name, var, selector, label in variable_queries(args.dashboards):
            values = prom.label_values(selector.replace("$job", JOB).replace("${job}", JOB), label)
            if want.get(var, values[0] if values else None) not in values:
                raise Failure(f"{name}: variable {var} = label_values({selector}, {label}) offers {values}, "
                              f"not {want.get(var)!r}")
            n_vars += 1
        log(f"{n_vars} dashboard variables offer job {JOB} and instance {target}")
        exprs = dashboard_exprs(args.checker, args.dashboards, grafana_regex_escape(target))
        status, text = http("PUT", f"{sim}/_sim/faults",
                            {"internal_error": FAULT_INTERNAL_ERROR, "credentials_fail": True})
        if status != 200:
            raise Failure(f"PUT /_sim/faults: HTTP {status} {text}")
        log(f"{len(exprs)} dashboard queries; InternalError faults on at {FAULT_INTERNAL_ERROR}")
        pending = dict.fromkeys(exprs)  # expr -> last unsatisfying result
        done = {}
        deadline = time.monotonic() + 40
        try:
            while pending:
                procs.check_alive()
                for expr in list(pending):
                    doc = prom.query(expr)
                    if doc.get("status") != "success":  # a query error never fixes itself
                        raise Failure(f"query failed: {expr}\n  {doc.get('errorType')}: {doc.get('error')}")
                    values = numbers(doc["data"])
                    finite = [v for v in values if not math.isnan(v)]
                    # A rate that is 0 everywhere proves nothing (too few samples in the window,
                    # or a counter that never moves): rates must show one positive value.
                    if finite and (max(finite) > 0 or "rate(" not in expr):
                        done[expr] = (len(values), doc["data"]["resultType"], min(finite), max(finite))
                        del pending[expr]
                    else:
                        pending[expr] = ("empty" if not values else f"{len(values)} values, all NaN" if not finite
                                         else f"{len(values)} values, none positive")
                if not pending or time.monotonic() >= deadline:
                    break
                time.sleep(1)
        finally:
            http("PUT", f"{sim}/_sim/faults", {"internal_error": 0, "credentials_fail": False})
        if pending:
            raise Failure(f"{len(pending)} of {len(exprs)} dashboard queries returned no data within 40s:\n"
                          + "\n".join(f"  {why}: {e}" for e, why in pending.items()))
        for expr, (n, kind, lo, hi) in done.items():
            log(f"  ok {n:3} {kind} in [{lo:.4g}, {hi:.4g}] | {expr}")
        log(f"all {len(exprs)} dashboard queries returned data; faults off")

        # --- phase 3: alerts after the faults ----------------------------------------------
        time.sleep(3)  # a few evaluations, so an alert the faults caused is active by now
        problem, alerts = check_alerts(prom, org, allowed_extra=ALLOWED_AFTER_FAULTS)
        if problem:
            raise Failure(f"after the fault phase: {problem}")
        extra = sorted({a["labels"]["alertname"] for a in alerts if a["labels"]["alertname"] != EXPIRING})
        stats = get_json(f"{sim}/_sim/stats")
        log(f"simulator stats: {stats.get('requests')} requests, errors {stats.get('errors')}")
        print(f"PASS: {len(exprs)} dashboard expressions evaluated, all non-empty; "
              f"{len(firing)} {EXPIRING} alerts firing {firing}"
              + (f"; also active after injected faults (allowed): {extra}" if extra else "")
              + f"; {time.monotonic() - t0:.1f}s", flush=True)
        return 0
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr, flush=True)
        procs.dump_logs()
        return 1
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exporter", required=True)
    ap.add_argument("--simulator", required=True)
    ap.add_argument("--prometheus", default=shutil.which("prometheus"))
    ap.add_argument("--rules", type=pathlib.Path, default=REPO / "alerts" / "tencentcloud-org-exporter.rules.yml")
    ap.add_argument("--dashboards", type=pathlib.Path, default=REPO / "dashboards")
    ap.add_argument("--checker", type=pathlib.Path, default=HERE / "check_dashboards.py")
    args = ap.parse_args(argv)
    if not args.prometheus:
        ap.error("no prometheus binary: pass --prometheus")
    # The children run in the temporary directory.
    for name in ("exporter", "simulator", "prometheus"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    # ctest's timeout and Ctrl-C: leave through the finally blocks. A launcher in between (e.g. a
    # pyenv shim, which runs python as its child) may die alone: then its death is our SIGTERM.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:
        return 143
    return run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
