#!/usr/bin/env bash
# Installs the Debian and Python packages leadsheet's build and tests need. Idempotent.
set -euo pipefail
need=()
for p in libxml2-dev libsqlite3-dev zlib1g-dev pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
