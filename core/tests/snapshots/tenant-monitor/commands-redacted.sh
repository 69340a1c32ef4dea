#!/usr/bin/env bash
# Installs Voice Tenant Monitor (chart tenant-monitor) as release tenant-monitor-0100 in namespace
# voice.
# Written by pe-configurator. It holds no secret value: no Secret is filled in.
# Needs kubectl (connected to the cluster) and Helm 4; keep tenant-monitor-values.yaml next to
# this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/tenant-monitor-values.yaml
NAMESPACE=voice
RELEASE=tenant-monitor-0100
# The chart reference (repo/chart, .tgz URL or folder); the guide installs it from
# https://<jfrog-repository>/tenantmonitor-$TENANT_MANIFEST_VERSION.tgz: set it here or export
# CHART_REF.
CHART_REF="${CHART_REF:-}"
if [ -z "$CHART_REF" ]; then
  echo 'commands.sh: set CHART_REF (the chart reference) at the top of this file or in the environment' >&2
  exit 1
fi
# The chart repository asks for a login (the guide's JFROG_USER and JFROG_PASSWORD): export
# HELM_REPO_USERNAME and HELM_REPO_PASSWORD before running this script.
REPO_LOGIN=()
if [ -n "${HELM_REPO_USERNAME:-}" ]; then
  REPO_LOGIN=(--username "$HELM_REPO_USERNAME" --password "${HELM_REPO_PASSWORD:-}")
fi

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -

# 2. The secrets (created, or updated when they exist)
# No secret is filled in.

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" "${REPO_LOGIN[@]}" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --rollback-on-failure --wait --timeout 600s "${REPO_LOGIN[@]}" -- "$RELEASE" "$CHART_REF"
