"""Shared helpers for the chart tests: run the real helm binary and parse what it renders.

Environment: HELM (path of helm, default "helm"), TCORG_REPO_ROOT (repository root, default two levels up).
"""
import os
import pathlib
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # a missing parser must fail loudly, not skip the chart tests
    sys.exit("tests/helm needs PyYAML: apt-get install -y python3-yaml")

HELM = os.environ.get("HELM", "helm")
REPO = pathlib.Path(os.environ.get("TCORG_REPO_ROOT", pathlib.Path(__file__).resolve().parents[2]))
CHART = REPO / "helm" / "tencentcloud-org-exporter"
RULES = REPO / "alerts" / "tencentcloud-org-exporter.rules.yml"
DASHBOARDS = REPO / "dashboards"
RELEASE = "rel"
NAMESPACE = "obs"

# Values files under test: None is the chart's defaults; the others are the chart's ci/*-values.yaml.
VALUES_FILES = [None] + sorted(str(p) for p in (CHART / "ci").glob("*-values.yaml"))


def helm(*args, check=True):
    """Runs helm; returns the CompletedProcess (text). helm warns about the chart's symlinks on stderr: ignored."""
    proc = subprocess.run([HELM, *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"helm {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def values_args(values_file=None, sets=()):
    args = ["-f", values_file] if values_file else []
    for s in sets:
        args += ["--set", s]
    return args


def render(values_file=None, sets=(), chart=CHART):
    """helm template → list of manifests (dicts), empty documents dropped."""
    out = helm("template", RELEASE, chart, "--namespace", NAMESPACE, *values_args(values_file, sets)).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def of_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def one(docs, kind):
    found = of_kind(docs, kind)
    assert len(found) == 1, f"want exactly one {kind}, got {len(found)}"
    return found[0]


def load_values(values_file):
    """The effective values: chart defaults overlaid with values_file (maps merged, null deletes)."""
    def merge(base, over):
        for k, v in over.items():
            if v is None:
                base.pop(k, None)
            elif isinstance(v, dict) and isinstance(base.get(k), dict):
                merge(base[k], v)
            else:
                base[k] = v
        return base
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    if values_file:
        merge(values, yaml.safe_load(pathlib.Path(values_file).read_text()) or {})
    return values


def chart_meta():
    return yaml.safe_load((CHART / "Chart.yaml").read_text())


def label(values_file):
    return pathlib.Path(values_file).name if values_file else "default values"


def tempdir():
    return tempfile.TemporaryDirectory(prefix="tcorg-helm-")
