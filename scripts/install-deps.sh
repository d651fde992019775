#!/usr/bin/env bash
# Installs what leadsheet's build and tests need on Debian 12 (the Swift 6.3 toolchain
# is assumed on PATH). Idempotent: installs only what is missing.
#
#   bash scripts/install-deps.sh          # build + test dependencies
#   LEADSHEET_MINIMAL=1 bash scripts/...  # only what building leadsheet needs
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

debs=(libxml2-dev libsqlite3-dev zlib1g-dev pkg-config)
# Tests also read job databases with the sqlite3 shell, and measure peak memory with
# /usr/bin/time (package `time`).
[ -n "${LEADSHEET_MINIMAL:-}" ] || debs+=(sqlite3 curl time)
if [ -z "${LEADSHEET_MINIMAL:-}" ]; then
  # Tests open written workbooks in LibreOffice and render reports in Chromium.
  debs+=(libreoffice-calc-nogui chromium)
fi
need=()
for p in "${debs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "${LEADSHEET_MINIMAL:-}" ]; then
  # Tests read our XLSX with openpyxl and compare with files written by XlsxWriter.
  missing=$(python3 - <<'PY'
import importlib.util
print(" ".join(p for m, p in [("openpyxl", "openpyxl"), ("xlsxwriter", "xlsxwriter")]
               if importlib.util.find_spec(m) is None))
PY
)
  if [ -n "$missing" ]; then
    echo "installing (PyPI): $missing"
    python3 -m pip install -q --disable-pip-version-check $missing
  fi
fi
