#!/usr/bin/env bash
# Ingest benchmark: leadsheet inspect vs Python's csv, python-calamine and openpyxl (read-only)
# on the same generated lead list, side by side in one run. Prints rows/s and peak RSS.
#
#   bash Benchmarks/ingest.sh [ROWS [SCALE_ROWS]]   # default 1,000,000 and 4,000,000
#
# SCALE_ROWS (0 to skip): a larger CSV read by inspect and Python's csv only, to show that
# inspect's memory does not grow with the number of rows (distinct contacts spill to disk).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
scale_rows=${2:-4000000}
data=Benchmarks/data
mkdir -p "$data"
python3 -m pip install -q openpyxl xlsxwriter python-calamine 2>/dev/null || true
prefix="$data/leads-$rows"
[ -f "$prefix.xlsx" ] || python3 Benchmarks/make-large-list.py "$rows" "$prefix"
swift build -c release --product leadsheet >/dev/null
bin=$(swift build -c release --show-bin-path)/leadsheet
ls -l "$prefix.csv" "$prefix.xlsx" | awk '{printf "%s %.1f MB\n", $9, $5/1e6}'

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
measure "leadsheet inspect (CSV)" "$bin" inspect "$prefix.csv"
measure "python csv module" python3 Benchmarks/read_python.py csv "$prefix.csv"
measure "leadsheet inspect (XLSX)" "$bin" inspect "$prefix.xlsx"
measure "python-calamine" python3 Benchmarks/read_python.py calamine "$prefix.xlsx"
REPEAT=1 measure "openpyxl read-only" python3 Benchmarks/read_python.py openpyxl "$prefix.xlsx"
# The same rows as Excel and LibreOffice store text: a shared-string table of every
# distinct text (XlsxWriter's constant-memory mode above writes inline strings).
# LibreOffice converts the CSV (about a minute for 1M rows).
lo="$prefix-libreoffice.xlsx"
if [ ! -f "$lo" ]; then
  out=$(mktemp -d)
  soffice --headless --convert-to xlsx --outdir "$out" "$prefix.csv" >/dev/null 2>&1
  mv "$out/$(basename "$prefix").xlsx" "$lo"
  rmdir "$out"
fi
ls -l "$lo" | awk '{printf "%s %.1f MB\n", $9, $5/1e6}'
measure "inspect (XLSX, LibreOffice, shared strings)" "$bin" inspect "$lo"
measure "python-calamine (same file)" python3 Benchmarks/read_python.py calamine "$lo"
if [ "$scale_rows" -gt 0 ]; then
  scale="$data/leads-$scale_rows"
  [ -f "$scale.csv" ] || python3 Benchmarks/make-large-list.py "$scale_rows" "$scale" csv
  ls -l "$scale.csv" | awk '{printf "%s %.1f MB\n", $9, $5/1e6}'
  rows=$scale_rows
  echo "rows: $rows"
  measure "leadsheet inspect (CSV)" "$bin" inspect "$scale.csv"
  measure "python csv module" python3 Benchmarks/read_python.py csv "$scale.csv"
fi
