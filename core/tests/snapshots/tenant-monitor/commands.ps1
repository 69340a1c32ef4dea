# Installs Voice Tenant Monitor (chart tenant-monitor) as release tenant-monitor-0100 in namespace
# voice.
# Written by pe-configurator. It holds no secret value: no Secret is filled in.
# Needs kubectl (connected to the cluster) and Helm 4; keep tenant-monitor-values.yaml next to
# this script.
$ErrorActionPreference = 'Stop'

$ValuesFile = Join-Path $PSScriptRoot 'tenant-monitor-values.yaml'
$Namespace = 'voice'
$Release = 'tenant-monitor-0100'
# The chart reference (repo/chart, .tgz URL or folder); the guide installs it from
# https://<jfrog-repository>/tenantmonitor-$TENANT_MANIFEST_VERSION.tgz: set it here.
$ChartRef = ''
if (-not $ChartRef) { throw 'commands.ps1: set $ChartRef at the top of this file' }
# The chart repository asks for a login (the guide's JFROG_USER and JFROG_PASSWORD): set
# $env:HELM_REPO_USERNAME and $env:HELM_REPO_PASSWORD before running this script.
$RepoLogin = @()
if ($env:HELM_REPO_USERNAME) { $RepoLogin = @('--username', $env:HELM_REPO_USERNAME, '--password', $env:HELM_REPO_PASSWORD) }

# 1. The namespace (created when missing, left as it is otherwise)
kubectl create namespace $Namespace --dry-run=client -o yaml | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 2. The secrets (created, or updated when they exist)
# No secret is filled in.

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n $Namespace -f $ValuesFile @RepoLogin -- $Release $ChartRef | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n $Namespace -f $ValuesFile --rollback-on-failure '--wait' '--timeout' '600s' @RepoLogin -- $Release $ChartRef
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
