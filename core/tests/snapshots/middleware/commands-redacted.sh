#!/usr/bin/env bash
# Installs Genesys Cloud integration middleware (chart middleware) as release
# genesys-middleware-stack in namespace genesys-middleware.
# Written by pe-configurator. It holds the values of 1 Secret: keep it private and delete it after
# use.
# Needs kubectl (connected to the cluster) and Helm 4; keep middleware-values.yaml next to this
# script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/middleware-values.yaml
NAMESPACE=genesys-middleware
RELEASE=genesys-middleware-stack
# Our choice of form. The chart is a local directory made with helm create and then edited; it is
# not pulled from a repository. Run from the directory that contains it, the reference is this
# relative path.
CHART_REF=./genesys-middleware-stack

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -

# 2. The secrets (created, or updated when they exist)

# Secret genesys-integration-secrets
kubectl create secret generic genesys-integration-secrets -n "$NAMESPACE" \
  --from-literal=client-secret='<redacted: 45 bytes>' \
  --dry-run=client -o yaml | kubectl apply -f -

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --rollback-on-failure -- "$RELEASE" "$CHART_REF"
