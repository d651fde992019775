#!/usr/bin/env bash
# Runs leadsheet's test suite (the command README.md gives).
#
# Installs what the tests need first (Debian and PyPI packages: LibreOffice, Chromium,
# openpyxl, XlsxWriter, the sqlite3 shell…), idempotently: on a machine that has them it
# only checks, in about a second. Without them the browser and spreadsheet checks would
# be skipped. LEADSHEET_SKIP_INSTALL=1 skips the check (CI runs it just before).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${LEADSHEET_SKIP_INSTALL:-}" ] || bash scripts/install-deps.sh
swift test --parallel "$@"
