//! images.txt, mirror.sh and mirror.ps1: pure functions of a [`MirrorPlan`], the same bytes
//! wherever they are called.
//!
//! The scripts are built like commands.sh: every byte is fixed text (the prelude of functions
//! each script starts with, [`MIRROR_SH_PRELUDE`] and [`MIRROR_PS1_PRELUDE`]), `sh_quote` /
//! `ps_quote`, or `comment_lines`; after the prelude, each line sets `STEP` or calls one of the
//! prelude's functions with quoted words. Every registry, repository and tag in them passed the
//! image reference grammar; a refused one is never written, not even in a comment. Credentials
//! are read when the script runs (environment variables, else a prompt), never written.

use super::plan::MirrorPlan;
use crate::export::{comment_lines, ps_quote, sh_quote};

pub const IMAGES_TXT: &str = "images.txt";
pub const MIRROR_SH: &str = "mirror.sh";
pub const MIRROR_PS1: &str = "mirror.ps1";

/// images.txt: every image the values pull, as the kubelet pulls it, one reference a line,
/// sorted and unique. An image with a part not known (a missing tag or registry, a placeholder, a
/// refused value) is named in the leading comment block with the reason, never as a line.
pub fn images_txt(plan: &MirrorPlan) -> String {
    let mut references: Vec<&str> = plan
        .inventory
        .iter()
        .filter(|image| image.pulled)
        .filter_map(|image| image.reference.as_deref())
        .collect();
    references.sort_unstable();
    references.dedup();
    let mut out = comment_lines(
        &format!(
            "Container images of {} as the kubelet pulls them: {} reference(s), one a line. \
             Written by pe-configurator.",
            plan.title,
            references.len()
        ),
        "# ",
    );
    let incomplete: Vec<String> = plan
        .inventory
        .iter()
        .filter(|image| image.pulled && image.reference.is_none())
        .map(|image| format!("{}: {}.", image.name(), image.problems().join("; ")))
        .collect();
    if !incomplete.is_empty() {
        out.push_str("#\n# Not listed, a part of the reference is not known:\n");
        for line in &incomplete {
            out.push_str(&comment_lines(line, "#   "));
        }
    }
    let skipped: Vec<String> = plan
        .inventory
        .iter()
        .filter_map(|image| {
            image
                .skipped
                .as_ref()
                .map(|why| format!("{}: {why}.", image.name()))
        })
        .collect();
    if !skipped.is_empty() {
        out.push_str("#\n# Not pulled with these values:\n");
        for line in &skipped {
            out.push_str(&comment_lines(line, "#   "));
        }
    }
    for reference in references {
        out.push_str(reference);
        out.push('\n');
    }
    out
}

/// What both scripts say first: what they copy, where the credentials come from, what they need,
/// and what they do not copy, with the reason.
fn header(plan: &MirrorPlan, script: &str, dry_run: &str, credentials: &str) -> String {
    let images = plan.copied_images().count();
    let charts = plan.copied_charts().count();
    let mut out = comment_lines(
        &format!(
            "Copies the container images and Helm charts of {} into your own registry, for a \
             cluster without Internet access: {images} image(s), {charts} chart(s).",
            plan.title
        ),
        "# ",
    );
    out.push_str(&comment_lines(
        &format!(
            "Written by pe-configurator. It holds no credential: {credentials} If one is not \
             set, the script asks; an empty user name logs in to nothing."
        ),
        "# ",
    ));
    out.push_str(&comment_lines(
        "Needs skopeo (copy --all: every architecture of an image) or else docker (pull, tag \
         and push), and helm for the charts; the script says which it uses.",
        "# ",
    ));
    out.push_str(&comment_lines(
        &format!(
            "{script} skips what your registry already holds, so it can run again. With \
             {dry_run} it prints what it would do and runs nothing. The first failure stops it \
             and names the step."
        ),
        "# ",
    ));
    let mut not_copied: Vec<String> = plan
        .images
        .iter()
        .filter_map(|copy| {
            copy.skipped
                .as_ref()
                .map(|why| format!("image {}: {why}.", copy.image))
        })
        .collect();
    not_copied.extend(
        plan.inventory
            .iter()
            .filter(|image| image.pulled && image.reference.is_none())
            .map(|image| format!("image {}: {}.", image.name(), image.problems().join("; "))),
    );
    not_copied.extend(plan.charts.iter().filter_map(|copy| {
        copy.skipped
            .as_ref()
            .map(|why| format!("chart {}: {why}.", copy.chart))
    }));
    if !not_copied.is_empty() {
        out.push_str("#\n# Not copied:\n");
        for line in &not_copied {
            out.push_str(&comment_lines(line, "#   "));
        }
    }
    out
}

/// The registry hosts the script logs in to: the vendor's (when an image comes from it), and
/// yours (every target of an image; every target of a chart for helm).
struct Logins {
    source: bool,
    targets: Vec<String>,
    helm_repository: bool,
    helm_targets: Vec<String>,
}

fn host(reference: &str) -> String {
    reference
        .trim_start_matches("oci://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn logins(plan: &MirrorPlan) -> Logins {
    let mut logins = Logins {
        source: false,
        targets: Vec::new(),
        helm_repository: false,
        helm_targets: Vec::new(),
    };
    for copy in plan.copied_images() {
        logins.source |= copy.from_vendor;
        let target = host(&copy.target);
        if !logins.targets.contains(&target) {
            logins.targets.push(target);
        }
    }
    for copy in plan.copied_charts() {
        logins.helm_repository = true;
        if let Some(target) = copy.target.as_deref().map(host) {
            if !logins.helm_targets.contains(&target) {
                logins.helm_targets.push(target);
            }
        }
    }
    logins
}

/// The fixed start of mirror.sh, after its comments: options, the step trap, the tool, and the
/// functions every later line calls.
pub const MIRROR_SH_PRELUDE: &str = r#"set -Eeuo pipefail

DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    *) echo 'mirror.sh: the only option is --dry-run' >&2; exit 2 ;;
  esac
done
case "${BASH_SOURCE[0]}" in
  */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;;
  *) SCRIPT_DIR=. ;;
esac
SCRIPT_DIR="$(cd -- "$SCRIPT_DIR" && pwd)"
STEP='start'
trap 'echo "mirror.sh: stopped at: $STEP" >&2' ERR
if command -v skopeo > /dev/null 2>&1; then
  TOOL=skopeo
  echo 'mirror.sh: copies images with skopeo copy --all (every architecture)'
else
  TOOL=docker
  echo 'mirror.sh: skopeo is not installed: copies images with docker pull, tag and push'
fi
if [ "$DRY_RUN" = 1 ]; then
  echo 'mirror.sh: dry run, nothing is run'
fi

# SOURCE (the vendor's registry and Helm repository) or TARGET (yours): the user name and
# password from <ROLE>_REGISTRY_USERNAME and <ROLE>_REGISTRY_PASSWORD, else asked, once.
SOURCE_READ=0
TARGET_READ=0
read_credentials() {
  local read_flag="$1_READ" user_var="$1_REGISTRY_USERNAME" password_var="$1_REGISTRY_PASSWORD"
  local user password=''
  if [ "${!read_flag}" = 1 ]; then
    return 0
  fi
  if [ -n "${!user_var+set}" ]; then
    user="${!user_var}"
  else
    read -r -p "mirror.sh: $1 registry user name (empty: no login): " user
  fi
  if [ -n "$user" ]; then
    if [ -n "${!password_var+set}" ]; then
      password="${!password_var}"
    else
      read -r -s -p "mirror.sh: $1 registry password: " password
      echo >&2
    fi
  fi
  printf -v "$1_USER" '%s' "$user"
  printf -v "$1_PASSWORD" '%s' "$password"
  printf -v "$read_flag" '%s' 1
}

# $1: SOURCE or TARGET, $2: the registry host; logs the image tool in.
login_registry() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "mirror.sh: would log in to $2 with $TOOL"
    return 0
  fi
  read_credentials "$1"
  local user_var="$1_USER" password_var="$1_PASSWORD"
  if [ -z "${!user_var}" ]; then
    echo "mirror.sh: no login to $2"
    return 0
  fi
  printf '%s' "${!password_var}" | "$TOOL" login --username "${!user_var}" --password-stdin -- "$2" > /dev/null
}

# $1: the vendor's Helm repository URL; added (or updated) under its own name.
login_helm_repository() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "mirror.sh: would add the Helm repository $1"
    return 0
  fi
  read_credentials SOURCE
  if [ -n "$SOURCE_USER" ]; then
    printf '%s' "$SOURCE_PASSWORD" | helm repo add --force-update --username "$SOURCE_USER" --password-stdin -- pecfg-mirror-source "$1" > /dev/null
  else
    helm repo add --force-update -- pecfg-mirror-source "$1" > /dev/null
  fi
}

# $1: your registry host; logs helm in for the chart pushes.
login_helm_registry() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "mirror.sh: would log helm in to $1"
    return 0
  fi
  read_credentials TARGET
  if [ -z "$TARGET_USER" ]; then
    echo "mirror.sh: no helm login to $1"
    return 0
  fi
  printf '%s' "$TARGET_PASSWORD" | helm registry login --username "$TARGET_USER" --password-stdin -- "$1" > /dev/null
}

# $1: the image in the vendor's registry, $2: the same repository and tag in yours.
copy_image() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "mirror.sh: would copy $1 to $2 with $TOOL"
    return 0
  fi
  if [ "$TOOL" = skopeo ]; then
    if skopeo inspect --raw -- "docker://$2" > /dev/null 2>&1; then
      echo "mirror.sh: $2 is already there, skipped"
      return 0
    fi
    skopeo copy --all -- "docker://$1" "docker://$2"
  else
    if docker manifest inspect -- "$2" > /dev/null 2>&1; then
      echo "mirror.sh: $2 is already there, skipped"
      return 0
    fi
    docker pull -- "$1"
    docker tag -- "$1" "$2"
    docker push -- "$2"
  fi
  echo "mirror.sh: copied $1 to $2"
}

# $1: the chart's name in the vendor's Helm repository, $2: its version ('' for the newest),
# $3: the oci:// folder of your registry it is pushed to.
copy_chart() {
  local name="$1" version="$2" target="$3" line
  if [ "$DRY_RUN" = 1 ]; then
    echo "mirror.sh: would copy chart $name ${version:-(its newest version)} to $target"
    return 0
  fi
  if [ -z "$version" ]; then
    while IFS= read -r line; do
      case "$line" in
        'version: '*) version="${line#version: }"; version="${version//\"/}"; break ;;
      esac
    done < <(helm show chart -- "pecfg-mirror-source/$name")
    if [ -z "$version" ]; then
      echo "mirror.sh: the Helm repository has no version of chart $name" >&2
      return 1
    fi
  fi
  if helm show chart --version "$version" -- "$target/$name" > /dev/null 2>&1; then
    echo "mirror.sh: chart $target/$name $version is already there, skipped"
    return 0
  fi
  helm pull --version "$version" --destination "$SCRIPT_DIR" -- "pecfg-mirror-source/$name"
  helm push -- "$SCRIPT_DIR/$name-$version.tgz" "$target"
  echo "mirror.sh: copied chart $name $version to $target"
}
"#;

/// mirror.sh.
pub fn mirror_sh(plan: &MirrorPlan) -> String {
    let mut out = String::from("#!/usr/bin/env bash\n");
    out.push_str(&header(
        plan,
        MIRROR_SH,
        "--dry-run",
        "the vendor's user name and password are read from SOURCE_REGISTRY_USERNAME and \
         SOURCE_REGISTRY_PASSWORD, yours from TARGET_REGISTRY_USERNAME and \
         TARGET_REGISTRY_PASSWORD.",
    ));
    out.push_str(MIRROR_SH_PRELUDE);
    let step = |out: &mut String, what: &str| {
        out.push_str(&format!("STEP={}\n", sh_quote(what)));
    };
    let logins = logins(plan);
    out.push_str("\n# 1. Log in\n");
    if logins.source {
        step(&mut out, "log in to the vendor registry");
        out.push_str(&format!(
            "login_registry SOURCE {}\n",
            sh_quote(&host(&plan.source_registry))
        ));
    }
    for target in &logins.targets {
        step(&mut out, &format!("log in to your registry {target}"));
        out.push_str(&format!("login_registry TARGET {}\n", sh_quote(target)));
    }
    if logins.helm_repository {
        step(&mut out, "add the vendor Helm repository");
        out.push_str(&format!(
            "login_helm_repository {}\n",
            sh_quote(&plan.helm_repository)
        ));
    }
    for target in &logins.helm_targets {
        step(&mut out, &format!("log helm in to your registry {target}"));
        out.push_str(&format!("login_helm_registry {}\n", sh_quote(target)));
    }
    out.push_str("\n# 2. The images, repository and tag kept\n");
    for copy in plan.copied_images() {
        step(&mut out, &format!("image {}", copy.image));
        out.push_str(&format!(
            "copy_image {} {}\n",
            sh_quote(&copy.source),
            sh_quote(&copy.target)
        ));
    }
    out.push_str("\n# 3. The chart archives, pushed to your registry as OCI\n");
    for copy in plan.copied_charts() {
        let (Some(name), Some(target)) = (&copy.name, &copy.target) else {
            continue;
        };
        step(&mut out, &format!("chart {}", copy.chart));
        out.push_str(&format!(
            "copy_chart {} {} {}\n",
            sh_quote(name),
            sh_quote(copy.version.as_deref().unwrap_or("")),
            sh_quote(target)
        ));
    }
    out.push_str("STEP='done'\necho 'mirror.sh: done'\n");
    out
}

/// The fixed start of mirror.ps1, after its comments.
pub const MIRROR_PS1_PRELUDE: &str = r#"param([switch]$DryRun)
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
"#;

/// mirror.ps1: the same steps for PowerShell.
pub fn mirror_ps1(plan: &MirrorPlan) -> String {
    let mut out = header(
        plan,
        MIRROR_PS1,
        "-DryRun",
        "the vendor's user name and password are read from $env:SOURCE_REGISTRY_USERNAME and \
         $env:SOURCE_REGISTRY_PASSWORD, yours from $env:TARGET_REGISTRY_USERNAME and \
         $env:TARGET_REGISTRY_PASSWORD.",
    );
    out.push_str(MIRROR_PS1_PRELUDE);
    let step = |out: &mut String, what: &str| {
        out.push_str(&format!("$Step = {}\n", ps_quote(what)));
    };
    let logins = logins(plan);
    out.push_str("\n# 1. Log in\n");
    if logins.source {
        step(&mut out, "log in to the vendor registry");
        out.push_str(&format!(
            "Connect-Registry 'SOURCE' {}\n",
            ps_quote(&host(&plan.source_registry))
        ));
    }
    for target in &logins.targets {
        step(&mut out, &format!("log in to your registry {target}"));
        out.push_str(&format!("Connect-Registry 'TARGET' {}\n", ps_quote(target)));
    }
    if logins.helm_repository {
        step(&mut out, "add the vendor Helm repository");
        out.push_str(&format!(
            "Connect-HelmRepository {}\n",
            ps_quote(&plan.helm_repository)
        ));
    }
    for target in &logins.helm_targets {
        step(&mut out, &format!("log helm in to your registry {target}"));
        out.push_str(&format!("Connect-HelmRegistry {}\n", ps_quote(target)));
    }
    out.push_str("\n# 2. The images, repository and tag kept\n");
    for copy in plan.copied_images() {
        step(&mut out, &format!("image {}", copy.image));
        out.push_str(&format!(
            "Copy-Image {} {}\n",
            ps_quote(&copy.source),
            ps_quote(&copy.target)
        ));
    }
    out.push_str("\n# 3. The chart archives, pushed to your registry as OCI\n");
    for copy in plan.copied_charts() {
        let (Some(name), Some(target)) = (&copy.name, &copy.target) else {
            continue;
        };
        step(&mut out, &format!("chart {}", copy.chart));
        out.push_str(&format!(
            "Copy-Chart {} {} {}\n",
            ps_quote(name),
            ps_quote(copy.version.as_deref().unwrap_or("")),
            ps_quote(target)
        ));
    }
    out.push_str("$Step = 'done'\nWrite-Output 'mirror.ps1: done'\n");
    out
}

/// images.txt, mirror.sh and mirror.ps1.
pub fn mirror_files(plan: &MirrorPlan) -> Vec<(String, String)> {
    vec![
        (IMAGES_TXT.to_string(), images_txt(plan)),
        (MIRROR_SH.to_string(), mirror_sh(plan)),
        (MIRROR_PS1.to_string(), mirror_ps1(plan)),
    ]
}

fn part_line(what: &str, part: &super::Part) -> String {
    match (part.known(), part.problem(what)) {
        (Some(text), _) => format!("  {what:<10} {text}  ({})\n", part.origin_text()),
        (None, Some(problem)) => format!("  {what:<10} missing: {problem}\n"),
        (None, None) => String::new(),
    }
}

fn image_report(image: &super::ImageInventory) -> String {
    let mut out = match (&image.skipped, &image.reference) {
        (Some(why), _) => format!("{}: not pulled, {why}\n", image.name()),
        (None, Some(reference)) => format!("{}: {reference}\n", image.name()),
        (None, None) => format!("{}: not complete\n", image.name()),
    };
    out.push_str(&part_line("registry", &image.registry));
    out.push_str(&part_line("repository", &image.repository));
    out.push_str(&part_line("tag", &image.tag));
    out.push_str(&format!("  (catalog: {})\n", image.lines));
    out
}

/// The inventory, then what a mirror copies and what it does not.
pub fn inventory_report(plan: &super::MirrorPlan) -> String {
    let pulled = plan.inventory.iter().filter(|image| image.pulled).count();
    let complete = plan
        .inventory
        .iter()
        .filter(|image| image.pulled && image.reference.is_some())
        .count();
    let mut out = format!(
        "{}: {} image(s) in the catalog, {pulled} pulled with these values, {complete} with a \
         known reference\n",
        plan.title,
        plan.inventory.len()
    );
    for image in &plan.inventory {
        out.push_str(&image_report(image));
    }
    out.push_str(&format!(
        "mirror from {} (Helm repository {}):\n",
        if plan.source_registry.is_empty() {
            "an unknown registry"
        } else {
            &plan.source_registry
        },
        plan.helm_repository
    ));
    for copy in &plan.images {
        match &copy.skipped {
            None => out.push_str(&format!(
                "  copy image {} -> {}\n",
                copy.source, copy.target
            )),
            Some(why) => out.push_str(&format!("  not copied: image {}: {why}\n", copy.image)),
        }
    }
    for copy in &plan.charts {
        match (&copy.skipped, &copy.name, &copy.target) {
            (None, Some(name), Some(target)) => out.push_str(&format!(
                "  copy chart {name} {} -> {target}\n",
                copy.version.as_deref().unwrap_or("(newest version)")
            )),
            (Some(why), _, _) => {
                out.push_str(&format!("  not copied: chart {}: {why}\n", copy.chart))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_preludes_name_the_same_helm_repository() {
        let alias = super::super::SOURCE_HELM_ALIAS;
        assert!(super::MIRROR_SH_PRELUDE.contains(alias));
        assert!(super::MIRROR_PS1_PRELUDE.contains(alias));
    }
}
