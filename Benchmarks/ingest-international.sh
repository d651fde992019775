#!/usr/bin/env bash
# Ingest benchmark on an international list: leadsheet inspect vs Python's csv module,
# side by side in one run, on a generated list with names and companies in CJK, Cyrillic,
# Arabic, Greek and accented Latin scripts, doubled quotes and a multi-line notes column
# (Benchmarks/make-international-list.py). Prints rows/s and peak RSS.
#
#   bash Benchmarks/ingest-international.sh [ROWS]   # default 1,000,000
#
# BIN=path/to/leadsheet measures another build, BEFORE=path/to/leadsheet an older one too
# (before/after figures in one run); REPEAT=n
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

# measure NAME COMMAND...: the median wall time of $REPEAT runs, the median CPU time
# (user + system: on a loaded machine the wall time of a multi-threaded reader suffers
# most), and the highest peak RSS.
REPEAT=${REPEAT:-3}
measure() {
  local name=$1; shift
  local runs=() out
  for _ in $(seq "$REPEAT"); do
    out=$( { /usr/bin/time -f "%e %U %S %M" "$@" >/dev/null; } 2>&1 | tail -1)
    runs+=("$out")
  done
  local mid=$(( (${#runs[@]} + 1) / 2 ))
  local secs cpu kb
  secs=$(printf '%s\n' "${runs[@]}" | awk '{ print $1 }' | sort -n | sed -n "${mid}p")
  cpu=$(printf '%s\n' "${runs[@]}" | awk '{ print $2 + $3 }' | sort -n | sed -n "${mid}p")
  kb=$(printf '%s\n' "${runs[@]}" | awk '{ if ($4 > m) m = $4 } END { print m }')
  awk -v n="$name" -v s="$secs" -v c="$cpu" -v kb="$kb" -v r="$rows" -v k="${#runs[@]}" \
    'BEGIN { printf "%-40s %7.2f s %10.0f rows/s %7.2f s CPU %7.1f MB peak RSS (median of %d)\n", n, s, r/s, c, kb/1024, k }'
}
echo "rows: $rows"
measure "leadsheet inspect" "$BIN" inspect "$list"
measure "python csv module" python3 Benchmarks/read_python.py csv "$list"
# BEFORE=path/to/leadsheet: an older build too, in the same run.
if [ -n "${BEFORE:-}" ]; then measure "leadsheet inspect (BEFORE)" "$BEFORE" inspect "$list"; fi
