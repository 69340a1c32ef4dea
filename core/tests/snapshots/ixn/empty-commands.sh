#!/usr/bin/env bash
# Installs Interaction Server (chart ixn) as release RELEASE in namespace ixn.
# Written by pe-configurator. It holds no secret value: no Secret is filled in.
# Needs kubectl (connected to the cluster) and Helm 4; keep ixn-values.yaml next to this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/ixn-values.yaml
NAMESPACE=ixn
# The release name is not known yet (The guide installs and templates the chart as
# ixn-{short-tenant-id}; the resulting pods are ixn-{short-tenant-id}-sts-0 and
# ixn-{short-tenant-id}-vqnode-deploy-… (lines 2586-2593). The short tenant id is the chart's own
# value tenant.sid ("Tenant short ID", lines 1765 and 2549-2550), so the guide's example
# (TENANT_ID=100, line 2559) installs as ixn-100.): set it here or export RELEASE.
RELEASE="${RELEASE:-}"
# The guide's commands use the chart as `<repository>/ixn`; the repository alias before the slash
# is lost in the text, so only the chart name is recorded (charts are published under names
# starting with ixn-, line 625).
CHART_REF=ixn
if [ -z "$RELEASE" ]; then
  echo 'commands.sh: set RELEASE (the release name) at the top of this file or in the environment' >&2
  exit 1
fi

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl label --local -f - name=ixn -o yaml | kubectl apply -f -

# 2. The secrets (created, or updated when they exist)
# No secret is filled in.
# Not filled in, create them yourself if the chart needs them: redis-ors-secret,
# kafka-shared-secret, pullsecret.

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --rollback-on-failure -- "$RELEASE" "$CHART_REF"
