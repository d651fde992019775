#!/usr/bin/env bash
# Installs what leadsheet needs (Debian packages), builds it, and enriches a sample list
# against the built-in simulator of Pronto's API: no key, no network, no cost.
#
#   bash scripts/demo.sh [SAMPLE]     # default Samples/sales-navigator.csv
set -euo pipefail
cd "$(dirname "$0")/.."
LEADSHEET_MINIMAL=1 bash scripts/install-deps.sh
swift build -c release --product leadsheet
bin=$(swift build -c release --show-bin-path)/leadsheet
sample=${1:-Samples/sales-navigator.csv}
demo=$(mktemp -d /tmp/leadsheet-demo.XXXXXX)
cp "$sample" "$demo/"
list="$demo/$(basename "$sample")"
"$bin" inspect "$list"
echo
"$bin" enrich "$list" --simulate --db "$demo/jobs.sqlite"
echo
echo "the enriched list and the job database are in $demo"
