# Installs Voice Tenant Service (chart tenant) as release t80dd in namespace voice.
# Written by pe-configurator. It holds the values of 12 Secrets: keep it private and delete it
# after use.
# Needs kubectl (connected to the cluster) and Helm 4; keep tenant-values.yaml next to this
# script.
$ErrorActionPreference = 'Stop'

$ValuesFile = Join-Path $PSScriptRoot 'tenant-values.yaml'
$Namespace = 'voice'
$Release = 't80dd'
# The chart reference (repo/chart, .tgz URL or folder); the guide installs it from
# https://<jfrog-repository>/tenant-<version>.tgz: set it here.
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

# Secret dbserver
@'
apiVersion: v1
kind: Secret
metadata:
  name: dbserver
  namespace: voice
type: Opaque
data:
  dbserver: cGctdGVuYW50LmluZnJhLnN2Yy5jbHVzdGVyLmxvY2Fs
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret dbname
@'
apiVersion: v1
kind: Secret
metadata:
  name: dbname
  namespace: voice
type: Opaque
data:
  dbname: dDAxMDA=
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret dbuser
@'
apiVersion: v1
kind: Secret
metadata:
  name: dbuser
  namespace: voice
type: Opaque
data:
  dbuser: dGVuYW50X3VzZXI=
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret dbpassword
@'
apiVersion: v1
kind: Secret
metadata:
  name: dbpassword
  namespace: voice
type: Opaque
data:
  dbpassword: cGEkJHcwcmQnImAh
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret svcuseraccount
@'
apiVersion: v1
kind: Secret
metadata:
  name: svcuseraccount
  namespace: voice
type: Opaque
data:
  svcpassword: U8OrcnZpY2Utw5xzZXIg8J+UkA==
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret gauthclientid
@'
apiVersion: v1
kind: Secret
metadata:
  name: gauthclientid
  namespace: voice
type: Opaque
data:
  clientid: dGVuYW50LWNsaWVudA==
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret gauthclientsecret
@'
apiVersion: v1
kind: Secret
metadata:
  name: gauthclientsecret
  namespace: voice
type: Opaque
data:
  clientsecret: MDc1NQ==
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret consul-voice-token
@'
apiVersion: v1
kind: Secret
metadata:
  name: consul-voice-token
  namespace: voice
type: Opaque
data:
  consul-consul-voice-token: MmE4YWQ5YTQtNmU4Zi00YzFmLTliNTUtMGYzYjBhNmMxMjM0
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret redis-config-token
@'
apiVersion: v1
kind: Secret
metadata:
  name: redis-config-token
  namespace: voice
type: Opaque
data:
  redis-config-state: eyJwYXNzd29yZCI6InJlZGlzLXB3IiwicG9ydCI6IjYzNzkifQ==
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret redis-tenant-token
@'
apiVersion: v1
kind: Secret
metadata:
  name: redis-tenant-token
  namespace: voice
type: Opaque
data:
  redis-tenant-stream: bXVsdGkKbGluZQogIGluZGVudGVkCg==
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret kafka-secrets-token
@'
apiVersion: v1
kind: Secret
metadata:
  name: kafka-secrets-token
  namespace: voice
type: Opaque
data:
  kafka-secrets: eyJib290c3RyYXAiOiJrYWZrYS5pbmZyYS5zdmMuY2x1c3Rlci5sb2NhbDo5MDkyIn0=
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# Secret mycred
@'
apiVersion: v1
kind: Secret
metadata:
  name: mycred
  namespace: voice
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InRlbmFudC1wdWxsZXIiLCJwYXNzd29yZCI6InB3IHdpdGggc3BhY2UiLCJhdXRoIjoiZEdWdVlXNTBMWEIxYkd4bGNqcHdkeUIzYVhSb0lITndZV05sIn19fQ==
'@ | kubectl apply -f -
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 3. Render the chart with these values (installs nothing; stops here on an error)
helm template -n $Namespace -f $ValuesFile @RepoLogin -- $Release $ChartRef | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

# 4. Install, or upgrade when the release exists (rolled back if it fails)
helm upgrade --install -n $Namespace -f $ValuesFile --rollback-on-failure '--wait' '--timeout' '600s' @RepoLogin -- $Release $ChartRef
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
