#!/usr/bin/env bash
# Ingest benchmark on an international list: leadsheet inspect vs Python's csv module,
# side by side in one run, on a generated list with names and companies in CJK, Cyrillic,
# Arabic, Greek and accented Latin scripts, doubled quotes and a multi-line notes column
# (Benchmarks/make-international-list.py). Prints rows/s and peak RSS.
#
#   bash Benchmarks/ingest-international.sh [ROWS]   # default 1,000,000
#
# BIN=path/to/leadsheet measures another build (for before/after figures); REPEAT=n
# changes the number of runs (median, highest peak RSS).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
data=Benchmarks/data
mkdir -p "$data"
list="$data/international-$rows.csv"
[ -f "$list" ] || python3 Benchmarks/make-international-list.py "$rows" "$list"
if [ -z "${BIN:-}" ]; then
  swift build -c release --product leadsheet >/dev/null
  BIN=$(swift build -c release --show-bin-path)/leadsheet
fi
ls -l "$list" | awk '{printf "%s %.1f MB\n", $9, $5/1e6}'

# measure NAME COMMAND...: the median wall time of $REPEAT runs, and the highest peak RSS.
REPEAT=${REPEAT:-3}
measure() {
  local name=$1; shift
  local runs=() out
  for _ in $(seq "$REPEAT"); do
    out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1)
    runs+=("$out")
  done
  out=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(( (${#runs[@]} + 1) / 2 ))p")
  local secs=${out% *}
  local kb
  kb=$(printf '%s\n' "${runs[@]}" | awk '{ if ($2 > m) m = $2 } END { print m }')
  awk -v n="$name" -v s="$secs" -v kb="$kb" -v r="$rows" -v k="${#runs[@]}" \
    'BEGIN { printf "%-44s %8.2f s %12.0f rows/s %8.1f MB peak RSS (median of %d)\n", n, s, r/s, kb/1024, k }'
}
echo "rows: $rows"
measure "leadsheet inspect (CSV, international)" "$BIN" inspect "$list"
measure "python csv module" python3 Benchmarks/read_python.py csv "$list"
