#!/usr/bin/env bash
# Installs Genesys Engagement Service (Callback) (chart ges) as release ges in namespace ges.
# Written by pe-configurator. It holds no secret value: no Secret is filled in.
# Needs kubectl (connected to the cluster) and Helm 4; keep ges-values.yaml next to this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/ges-values.yaml
NAMESPACE=ges
RELEASE=ges
# The chart reference (repo/chart, .tgz URL or folder): set it here or export CHART_REF.
CHART_REF="${CHART_REF:-}"
if [ -z "$CHART_REF" ]; then
  echo 'commands.sh: set CHART_REF (the chart reference) at the top of this file or in the environment' >&2
  exit 1
fi

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -

# 2. The secrets (created, or updated when they exist)
# No secret is filled in.
# Not filled in, create them yourself if the chart needs them: ges-secrets, ges-pull-secret.

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --rollback-on-failure -- "$RELEASE" "$CHART_REF"
