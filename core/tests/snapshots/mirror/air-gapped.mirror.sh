#!/usr/bin/env bash
# Copies the container images and Helm charts of environment site-a into your own registry, for a
# cluster without Internet access: 4 image(s), 3 chart(s).
# Written by pe-configurator. It holds no credential: the vendor's user name and password are read
# from SOURCE_REGISTRY_USERNAME and SOURCE_REGISTRY_PASSWORD, yours from TARGET_REGISTRY_USERNAME
# and TARGET_REGISTRY_PASSWORD. If one is not set, the script asks; an empty user name logs in to
# nothing.
# Needs skopeo (copy --all: every architecture of an image) or else docker (pull, tag and push),
# and helm for the charts; the script says which it uses.
# mirror.sh skips what your registry already holds, so it can run again. With --dry-run it prints
# what it would do and runs nothing. The first failure stops it and names the step.
#
# Not copied:
#   image tenant/tenant: the guide gives no repository: the chart's own default applies, which the
#   guide does not print.
#   image tenant/pgdb-init: the guide gives no repository: the chart's own default applies, which
#   the guide does not print.
#   image tenant/pulse-init: the guide gives no repository: the chart's own default applies, which
#   the guide does not print.
#   image ges/ges: the guide gives no tag: the chart's own default applies, which the guide does not
#   print.
#   chart ges: the guide names no archive for it in the vendor's Helm repository (give
#   sources.<chart>.chart).
#   chart middleware: the guide names no archive for it in the vendor's Helm repository (give
#   sources.<chart>.chart).
set -Eeuo pipefail

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

# 1. Log in
STEP='log in to the vendor registry'
login_registry SOURCE pureengageuse1-docker-multicloud.jfrog.io
STEP='log in to your registry registry.example.com'
login_registry TARGET registry.example.com
STEP='add the vendor Helm repository'
login_helm_repository https://pureengageuse1.jfrog.io/artifactory/api/helm/helm-multicloud
STEP='log helm in to your registry registry.example.com'
login_helm_registry registry.example.com

# 2. The images, repository and tag kept
STEP='image ixn/ixn-server'
copy_image pureengageuse1-docker-multicloud.jfrog.io/ixn/interaction_server:100.0.100.0011 registry.example.com/ixn/interaction_server:100.0.100.0011
STEP='image ixn/ixn-node'
copy_image pureengageuse1-docker-multicloud.jfrog.io/ixn/ixn_node:100.0.100.0011 registry.example.com/ixn/ixn_node:100.0.100.0011
STEP='image ixn/ixn-vqnode'
copy_image pureengageuse1-docker-multicloud.jfrog.io/ixn/ixn_vq_node:100.0.100.0007 registry.example.com/ixn/ixn_vq_node:100.0.100.0007
STEP='image ixn/log-sidecar'
copy_image docker.io/fluent/fluent-bit:1.8.5 registry.example.com/fluent/fluent-bit:1.8.5

# 3. The chart archives, pushed to your registry as OCI
STEP='chart tenant'
copy_chart tenant 100.0.100.0011 oci://registry.example.com/helm-multicloud
STEP='chart tenant-monitor'
copy_chart tenantmonitor 100.0.100.0002 oci://registry.example.com/helm-multicloud
STEP='chart ixn'
copy_chart ixn 100.0.1 oci://registry.example.com/helm-multicloud
STEP='done'
echo 'mirror.sh: done'
