#!/usr/bin/env bash
# Installs what sshlogwhy needs to build, test and run its lab, from Debian
# packages only. Run as root on Debian 12. Installs only what is missing, so
# it is quick on a machine that already has everything.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libre2-dev libsimdjson-dev libcli11-dev libboost-iostreams-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libisal-dev
  gzip bzip2 xz-utils zstd python3
  openssh-client openssh-server putty-tools
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run this script as root (or: sudo $0)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
