#!/usr/bin/env bash
# Installs Interaction Server (chart ixn) as release ixn-0100 in namespace ixn.
# Written by pe-configurator. It holds the values of 3 Secrets: keep it private and delete it
# after use.
# Needs kubectl (connected to the cluster) and Helm 3; keep ixn-values.yaml next to this script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/ixn-values.yaml
NAMESPACE=ixn
RELEASE=ixn-0100
# The guide's commands use the chart as `<repository>/ixn`; the repository alias before the slash
# is lost in the text, so only the chart name is recorded (charts are published under names
# starting with ixn-, line 625).
CHART_REF=ixn
CHART_VERSION=1.2.3

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl label --local -f - name=ixn -o yaml | kubectl apply -f -

# 2. The secrets (created, or updated when they exist)

# Secret redis-ors-secret
kubectl create secret generic redis-ors-secret -n "$NAMESPACE" \
  --from-literal=voice-redis-ors-stream='{"password":"p@ss'\''w\"rd $HOME `id` !x","port":"6379","rejectUnauthorized":"false","servername":"redis-cluster.infra.svc.cluster.local"}' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret kafka-shared-secret
kubectl create secret generic kafka-shared-secret -n "$NAMESPACE" \
  --from-literal=kafka-secrets='{"bootstrap": "kafka.infra.svc.cluster.local:9092", "username": "ixn", "password": "kä$ka!"}' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret pullsecret
kubectl create secret docker-registry pullsecret -n "$NAMESPACE" \
  --docker-server=pureengage-docker-staging.jfrog.io \
  --docker-username=jfrog-user \
  --docker-password='tok€n'\''!$(rm -rf /)' \
  --docker-email=ops@example.com \
  --dry-run=client -o yaml | kubectl apply -f -

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" --version "$CHART_VERSION" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --version "$CHART_VERSION" --atomic -- "$RELEASE" "$CHART_REF"
