#!/usr/bin/env bash
# Installs Voice Tenant Service (chart tenant) as release t80dd in namespace voice.
# Written by pe-configurator. It holds the values of 12 Secrets: keep it private and delete it
# after use.
# Needs kubectl (connected to the cluster) and Helm 3; keep tenant-values.yaml next to this
# script.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VALUES_FILE="$SCRIPT_DIR"/tenant-values.yaml
NAMESPACE=voice
RELEASE=t80dd
# The chart reference (repo/chart, .tgz URL or folder); the guide installs it from
# https://<jfrog-repository>/tenant-<version>.tgz: set it here or export CHART_REF.
CHART_REF="${CHART_REF:-}"
CHART_VERSION=1.2.3
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

# Secret dbserver
kubectl create secret generic dbserver -n "$NAMESPACE" \
  --from-literal=dbserver=pg-tenant.infra.svc.cluster.local \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret dbname
kubectl create secret generic dbname -n "$NAMESPACE" \
  --from-literal=dbname=t0100 \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret dbuser
kubectl create secret generic dbuser -n "$NAMESPACE" \
  --from-literal=dbuser=tenant_user \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret dbpassword
kubectl create secret generic dbpassword -n "$NAMESPACE" \
  --from-literal=dbpassword='pa$$w0rd'\''"`!' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret svcuseraccount
kubectl create secret generic svcuseraccount -n "$NAMESPACE" \
  --from-literal=svcpassword='Sërvice-Üser 🔐' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret gauthclientid
kubectl create secret generic gauthclientid -n "$NAMESPACE" \
  --from-literal=clientid=tenant-client \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret gauthclientsecret
kubectl create secret generic gauthclientsecret -n "$NAMESPACE" \
  --from-literal=clientsecret=0755 \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret consul-voice-token
kubectl create secret generic consul-voice-token -n "$NAMESPACE" \
  --from-literal=consul-consul-voice-token=2a8ad9a4-6e8f-4c1f-9b55-0f3b0a6c1234 \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret redis-config-token
kubectl create secret generic redis-config-token -n "$NAMESPACE" \
  --from-literal=redis-config-state='{"password":"redis-pw","port":"6379"}' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret redis-tenant-token
kubectl create secret generic redis-tenant-token -n "$NAMESPACE" \
  --from-literal=redis-tenant-stream='multi
line
  indented
' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret kafka-secrets-token
kubectl create secret generic kafka-secrets-token -n "$NAMESPACE" \
  --from-literal=kafka-secrets='{"bootstrap":"kafka.infra.svc.cluster.local:9092"}' \
  --dry-run=client -o yaml | kubectl apply -f -

# Secret mycred
kubectl create secret docker-registry mycred -n "$NAMESPACE" \
  --docker-server=registry.example.com \
  --docker-username=tenant-puller \
  --docker-password='pw with space' \
  --dry-run=client -o yaml | kubectl apply -f -

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n "$NAMESPACE" -f "$VALUES_FILE" --version "$CHART_VERSION" "${REPO_LOGIN[@]}" -- "$RELEASE" "$CHART_REF" > /dev/null

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n "$NAMESPACE" -f "$VALUES_FILE" --version "$CHART_VERSION" --atomic --wait --timeout 600s "${REPO_LOGIN[@]}" -- "$RELEASE" "$CHART_REF"
