#!/usr/bin/env bash
# Installs Genesys Engagement Service (Callback) (chart ges) as release ges in namespace ges-prod.
# Written by pe-configurator. It holds the values of 2 Secrets: keep it private and delete it
# after use.
# Needs kubectl (connected to the cluster) and Helm 4; keep ges-values.yaml next to this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/ges-values.yaml
NAMESPACE=ges-prod
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

# Secret ges-secrets
kubectl create secret generic ges-secrets -n "$NAMESPACE" \
  --from-literal=REDIS-CACHEKEY='<redacted: 24 bytes>' \
  --from-literal=DB-USER='<redacted: 8 bytes>' \
  --from-literal=DB-PASSWORD='<redacted: 31 bytes>' \
  --from-literal=AUTHENTICATION-CLIENT-ID='<redacted: 10 bytes>' \
  --from-literal=AUTHENTICATION-CLIENT-PASSWORD='<redacted: 12 bytes>' \
  --from-literal=voice-redis-ors-stream='<redacted: 108 bytes>' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret ges-pull-secret
kubectl create secret docker-registry ges-pull-secret -n "$NAMESPACE" \
  --docker-server=registry.example.com \
  --docker-username='robot$ges' \
  --docker-password='<redacted: 7 bytes>' \
  --dry-run=client -o yaml | kubectl apply -f -

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --rollback-on-failure -- "$RELEASE" "$CHART_REF"
