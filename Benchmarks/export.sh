#!/usr/bin/env bash
# Export benchmark: leadsheet's Output writers (OutputBench, release) vs Python's csv module,
# openpyxl (write-only) and XlsxWriter (constant_memory) writing the same generated rows
# (9 input columns + 7 appended result columns), side by side in one run.
# Prints seconds, rows/s, peak RSS and file size.
#
#   bash Benchmarks/export.sh [ROWS]      # default 1,000,000
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
out=$(mktemp -d "${TMPDIR:-/tmp}/leadsheet-export-XXXXXX")
trap 'rm -rf "$out"' EXIT
python3 -m pip install -q openpyxl xlsxwriter 2>/dev/null || true
swift build -c release --product OutputBench >/dev/null
bin=$(swift build -c release --show-bin-path)/OutputBench

measure() { # name, file, command...
  local name=$1 file=$2; shift 2
  local t
  t=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1)
  local secs=${t% *} kb=${t#* }
  local size; size=$(stat -c %s "$file")
  awk -v n="$name" -v s="$secs" -v kb="$kb" -v r="$rows" -v b="$size" \
    'BEGIN { printf "%-30s %8.2f s %10.0f rows/s %8.1f MB peak RSS %8.1f MB file\n", n, s, r/s, kb/1024, b/1e6 }'
}
echo "rows: $rows"
measure "leadsheet CSV" "$out/a.csv" "$bin" csv "$rows" "$out/a.csv"
measure "python csv module" "$out/b.csv" python3 Benchmarks/write_python.py csv "$rows" "$out/b.csv"
measure "leadsheet XLSX" "$out/a.xlsx" "$bin" xlsx "$rows" "$out/a.xlsx"
measure "openpyxl write-only" "$out/b.xlsx" python3 Benchmarks/write_python.py openpyxl "$rows" "$out/b.xlsx"
measure "XlsxWriter constant_memory" "$out/c.xlsx" python3 Benchmarks/write_python.py xlsxwriter "$rows" "$out/c.xlsx"
