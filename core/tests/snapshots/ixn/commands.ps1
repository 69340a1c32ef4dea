# Installs Interaction Server (chart ixn) as release ixn-0100 in namespace ixn.
# Written by pe-configurator. It holds the values of 3 Secrets: keep it private and delete it
# after use.
# Needs kubectl (connected to the cluster) and Helm 4; keep ixn-values.yaml next to this script.
$ErrorActionPreference = 'Stop'

$ValuesFile = Join-Path $PSScriptRoot 'ixn-values.yaml'
$Namespace = 'ixn'
$Release = 'ixn-0100'
$ChartRef = 'ixn'

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace $Namespace --dry-run=client -o yaml | kubectl label --local -f - 'name=ixn' -o yaml | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 2. The secrets (created, or updated when they exist)

# Secret redis-ors-secret
@'
apiVersion: v1
kind: Secret
metadata:
  name: redis-ors-secret
  namespace: ixn
type: Opaque
data:
  voice-redis-ors-stream: eyJwYXNzd29yZCI6InBAc3Mnd1wicmQgJEhPTUUgYGlkYCAheCIsInBvcnQiOiI2Mzc5IiwicmVqZWN0VW5hdXRob3JpemVkIjoiZmFsc2UiLCJzZXJ2ZXJuYW1lIjoicmVkaXMtY2x1c3Rlci5pbmZyYS5zdmMuY2x1c3Rlci5sb2NhbCJ9
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret kafka-shared-secret
@'
apiVersion: v1
kind: Secret
metadata:
  name: kafka-shared-secret
  namespace: ixn
type: Opaque
data:
  kafka-secrets: eyJib290c3RyYXAiOiAia2Fma2EuaW5mcmEuc3ZjLmNsdXN0ZXIubG9jYWw6OTA5MiIsICJ1c2VybmFtZSI6ICJpeG4iLCAicGFzc3dvcmQiOiAia8OkJGthISJ9
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret pullsecret
@'
apiVersion: v1
kind: Secret
metadata:
  name: pullsecret
  namespace: ixn
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJwdXJlZW5nYWdlLWRvY2tlci1zdGFnaW5nLmpmcm9nLmlvIjp7InVzZXJuYW1lIjoiamZyb2ctdXNlciIsInBhc3N3b3JkIjoidG9r4oKsbichJChybSAtcmYgLykiLCJlbWFpbCI6Im9wc0BleGFtcGxlLmNvbSIsImF1dGgiOiJhbVp5YjJjdGRYTmxjanAwYjJ2aWdxeHVKeUVrS0hKdElDMXlaaUF2S1E9PSJ9fX0=
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n $Namespace -f $ValuesFile -- $Release $ChartRef | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n $Namespace -f $ValuesFile --rollback-on-failure -- $Release $ChartRef
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
