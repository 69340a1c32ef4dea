# Installs Genesys Cloud integration middleware (chart middleware) as release
# genesys-middleware-stack in namespace genesys-middleware.
# Written by pe-configurator. It holds the values of 1 Secret: keep it private and delete it after
# use.
# Needs kubectl (connected to the cluster) and Helm 4; keep middleware-values.yaml next to this
# script.
$ErrorActionPreference = 'Stop'

$ValuesFile = Join-Path $PSScriptRoot 'middleware-values.yaml'
$Namespace = 'genesys-middleware'
$Release = 'genesys-middleware-stack'
$ChartRef = './genesys-middleware-stack'

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace $Namespace --dry-run=client -o yaml | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 2. The secrets (created, or updated when they exist)

# Secret genesys-integration-secrets
@'
apiVersion: v1
kind: Secret
metadata:
  name: genesys-integration-secrets
  namespace: genesys-middleware
type: Opaque
data:
  client-secret: czNjcjN0LcOEw5bDnC0ncXVvdGUnLSJkcSItJFZBUi1gY21kYC1cLSFoaXN0
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n $Namespace -f $ValuesFile -- $Release $ChartRef | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n $Namespace -f $ValuesFile --rollback-on-failure -- $Release $ChartRef
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
