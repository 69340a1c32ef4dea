# Installs Genesys Engagement Service (Callback) (chart ges) as release ges in namespace ges-prod.
# Written by pe-configurator. It holds the values of 2 Secrets: keep it private and delete it
# after use.
# Needs kubectl (connected to the cluster) and Helm 4; keep ges-values.yaml next to this script.
$ErrorActionPreference = 'Stop'

$ValuesFile = Join-Path $PSScriptRoot 'ges-values.yaml'
$Namespace = 'ges-prod'
$Release = 'ges'
# The chart reference (repo/chart, .tgz URL or folder): set it here.
$ChartRef = ''
if (-not $ChartRef) { throw 'commands.ps1: set $ChartRef at the top of this file' }

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace $Namespace --dry-run=client -o yaml | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 2. The secrets (created, or updated when they exist)

# Secret ges-secrets
@'
apiVersion: v1
kind: Secret
metadata:
  name: ges-secrets
  namespace: ges-prod
type: Opaque
data:
  REDIS-CACHEKEY: cmVkaXMgcGFzcyB3aXRoIHNwYWNlcyAg
  DB-USER: Z2VzX3VzZXI=
  DB-PASSWORD: ISMkJSYnKCkqKywtLi86Ozw9Pj9AW1xdXl9ge3x9fg==
  AUTHENTICATION-CLIENT-ID: Z2VzLWNsaWVudA==
  AUTHENTICATION-CLIENT-PASSWORD: bGluZTEKbGluZTIK
  voice-redis-ors-stream: eyJwYXNzd29yZCI6Im9ycyBcInJlZGlzXCIgcHciLCJyZWplY3RVbmF1dGhvcml6ZWQiOiJ0cnVlIiwic2VydmVybmFtZSI6InJlZGlzLW9ycy52b2ljZS5zdmMuY2x1c3Rlci5sb2NhbCJ9
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret ges-pull-secret
@'
apiVersion: v1
kind: Secret
metadata:
  name: ges-pull-secret
  namespace: ges-prod
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InJvYm90JGdlcyIsInBhc3N3b3JkIjoicFx1MDAzY2FcdTAwM2VcdTAwMjZzcyIsImF1dGgiOiJjbTlpYjNRa1oyVnpPbkE4WVQ0bWMzTT0ifX19
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n $Namespace -f $ValuesFile -- $Release $ChartRef | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n $Namespace -f $ValuesFile --rollback-on-failure -- $Release $ChartRef
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
