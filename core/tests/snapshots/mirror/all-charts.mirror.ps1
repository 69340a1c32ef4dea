# Copies the container images and Helm charts of environment tenant-100 into your own registry,
# for a cluster without Internet access: 0 image(s), 3 chart(s).
# Written by pe-configurator. It holds no credential: the vendor's user name and password are read
# from $env:SOURCE_REGISTRY_USERNAME and $env:SOURCE_REGISTRY_PASSWORD, yours from
# $env:TARGET_REGISTRY_USERNAME and $env:TARGET_REGISTRY_PASSWORD. If one is not set, the script
# asks; an empty user name logs in to nothing.
# Needs skopeo (copy --all: every architecture of an image) or else docker (pull, tag and push),
# and helm for the charts; the script says which it uses.
# mirror.ps1 skips what your registry already holds, so it can run again. With -DryRun it prints
# what it would do and runs nothing. The first failure stops it and names the step.
#
# Not copied:
#   image tenant/tenant: the guide gives no repository: the chart's own default applies, which the
#   guide does not print; `images.tenant.tag` is not set: the chart's own default applies, which the
#   guide does not print.
#   image tenant/pgdb-init: the guide gives no repository: the chart's own default applies, which
#   the guide does not print; `images.pgdbInit.tag` is not set: the chart's own default applies,
#   which the guide does not print.
#   image tenant/rcs-init: the guide gives no repository: the chart's own default applies, which the
#   guide does not print; `images.rcsInit.tag` is not set: the chart's own default applies, which
#   the guide does not print.
#   image tenant/pulse-init: the guide gives no repository: the chart's own default applies, which
#   the guide does not print; `images.pulseInit.tag` is not set: the chart's own default applies,
#   which the guide does not print.
#   image ges/ges: the guide gives no tag: the chart's own default applies, which the guide does not
#   print.
#   image ixn/ixn-server: `ixnService.image.ixnServer.repository` is not set: the chart's own
#   default applies, which the guide does not print; `ixnService.image.ixnServer.tag` is not set:
#   the chart's own default applies, which the guide does not print.
#   image ixn/ixn-node: `ixnService.image.ixnNode.repository` is not set: the chart's own default
#   applies, which the guide does not print; `ixnService.image.ixnNode.tag` is not set: the chart's
#   own default applies, which the guide does not print.
#   image ixn/ixn-vqnode: `ixnVQNode.image.ixnVQNode.repository` is not set: the chart's own default
#   applies, which the guide does not print; `ixnVQNode.image.ixnVQNode.tag` is not set: the chart's
#   own default applies, which the guide does not print.
#   chart ges: the guide names no archive for it in the vendor's Helm repository (give
#   sources.<chart>.chart).
#   chart middleware: the guide names no archive for it in the vendor's Helm repository (give
#   sources.<chart>.chart).
param([switch]$DryRun)
$ErrorActionPreference = 'Stop'
$Step = 'start'
function Assert-Step { if ($LASTEXITCODE -ne 0) { throw ('mirror.ps1: stopped at: ' + $script:Step) } }
if (Get-Command skopeo -ErrorAction SilentlyContinue) {
  $Tool = 'skopeo'
  Write-Output 'mirror.ps1: copies images with skopeo copy --all (every architecture)'
} else {
  $Tool = 'docker'
  Write-Output 'mirror.ps1: skopeo is not installed: copies images with docker pull, tag and push'
}
if ($DryRun) { Write-Output 'mirror.ps1: dry run, nothing is run' }

# SOURCE (the vendor's registry and Helm repository) or TARGET (yours): the user name and
# password from $env:<ROLE>_REGISTRY_USERNAME and $env:<ROLE>_REGISTRY_PASSWORD, else asked, once.
$Credentials = @{}
function Read-Credentials([string]$Role) {
  if ($Credentials.ContainsKey($Role)) { return $Credentials[$Role] }
  $User = [Environment]::GetEnvironmentVariable($Role + '_REGISTRY_USERNAME')
  if ($null -eq $User) { $User = Read-Host ('mirror.ps1: ' + $Role + ' registry user name (empty: no login)') }
  $Password = ''
  if ($User) {
    $Password = [Environment]::GetEnvironmentVariable($Role + '_REGISTRY_PASSWORD')
    if ($null -eq $Password) {
      $Secure = Read-Host -AsSecureString ('mirror.ps1: ' + $Role + ' registry password')
      $Password = [System.Net.NetworkCredential]::new('', $Secure).Password
    }
  }
  $Credentials[$Role] = @($User, $Password)
  return $Credentials[$Role]
}

function Connect-Registry([string]$Role, [string]$Registry) {
  if ($DryRun) { Write-Output ('mirror.ps1: would log in to ' + $Registry + ' with ' + $Tool); return }
  $User, $Password = Read-Credentials $Role
  if (-not $User) { Write-Output ('mirror.ps1: no login to ' + $Registry); return }
  $Password | & $Tool login --username $User --password-stdin -- $Registry | Out-Null
  Assert-Step
}

function Connect-HelmRepository([string]$Url) {
  if ($DryRun) { Write-Output ('mirror.ps1: would add the Helm repository ' + $Url); return }
  $User, $Password = Read-Credentials 'SOURCE'
  if ($User) {
    $Password | & helm repo add --force-update --username $User --password-stdin -- pecfg-mirror-source $Url | Out-Null
  } else {
    & helm repo add --force-update -- pecfg-mirror-source $Url | Out-Null
  }
  Assert-Step
}

function Connect-HelmRegistry([string]$Registry) {
  if ($DryRun) { Write-Output ('mirror.ps1: would log helm in to ' + $Registry); return }
  $User, $Password = Read-Credentials 'TARGET'
  if (-not $User) { Write-Output ('mirror.ps1: no helm login to ' + $Registry); return }
  $Password | & helm registry login --username $User --password-stdin -- $Registry | Out-Null
  Assert-Step
}

function Copy-Image([string]$From, [string]$To) {
  if ($DryRun) { Write-Output ('mirror.ps1: would copy ' + $From + ' to ' + $To + ' with ' + $Tool); return }
  $ErrorActionPreference = 'Continue'
  if ($Tool -eq 'skopeo') { & skopeo inspect --raw -- ('docker://' + $To) 2>$null | Out-Null } else { & docker manifest inspect -- $To 2>$null | Out-Null }
  $Present = $LASTEXITCODE -eq 0
  $ErrorActionPreference = 'Stop'
  if ($Present) { Write-Output ('mirror.ps1: ' + $To + ' is already there, skipped'); return }
  if ($Tool -eq 'skopeo') {
    & skopeo copy --all -- ('docker://' + $From) ('docker://' + $To)
    Assert-Step
  } else {
    & docker pull -- $From
    Assert-Step
    & docker tag -- $From $To
    Assert-Step
    & docker push -- $To
    Assert-Step
  }
  Write-Output ('mirror.ps1: copied ' + $From + ' to ' + $To)
}

function Copy-Chart([string]$Name, [string]$Version, [string]$Target) {
  if ($DryRun) { Write-Output ('mirror.ps1: would copy chart ' + $Name + ' ' + $Version + ' to ' + $Target); return }
  if (-not $Version) {
    $Shown = & helm show chart -- ('pecfg-mirror-source/' + $Name)
    Assert-Step
    foreach ($Line in $Shown) {
      if ($Line.StartsWith('version: ')) { $Version = $Line.Substring(9).Trim().Trim('"'); break }
    }
    if (-not $Version) { throw ('mirror.ps1: the Helm repository has no version of chart ' + $Name) }
  }
  $ErrorActionPreference = 'Continue'
  & helm show chart --version $Version -- ($Target + '/' + $Name) 2>$null | Out-Null
  $Present = $LASTEXITCODE -eq 0
  $ErrorActionPreference = 'Stop'
  if ($Present) { Write-Output ('mirror.ps1: chart ' + $Target + '/' + $Name + ' ' + $Version + ' is already there, skipped'); return }
  & helm pull --version $Version --destination $PSScriptRoot -- ('pecfg-mirror-source/' + $Name)
  Assert-Step
  & helm push -- (Join-Path $PSScriptRoot ($Name + '-' + $Version + '.tgz')) $Target
  Assert-Step
  Write-Output ('mirror.ps1: copied chart ' + $Name + ' ' + $Version + ' to ' + $Target)
}

# 1. Log in
$Step = 'add the vendor Helm repository'
Connect-HelmRepository 'https://pureengageuse1.jfrog.io/artifactory/api/helm/helm-multicloud'
$Step = 'log helm in to your registry registry.example.com'
Connect-HelmRegistry 'registry.example.com'

# 2. The images, repository and tag kept

# 3. The chart archives, pushed to your registry as OCI
$Step = 'chart tenant'
Copy-Chart 'tenant' '' 'oci://registry.example.com/helm-multicloud'
$Step = 'chart tenant-monitor'
Copy-Chart 'tenantmonitor' '' 'oci://registry.example.com/helm-multicloud'
$Step = 'chart ixn'
Copy-Chart 'ixn' '' 'oci://registry.example.com/helm-multicloud'
$Step = 'done'
Write-Output 'mirror.ps1: done'
