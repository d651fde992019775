#!/usr/bin/env bash
# A/B of the XLSX reader alone: the working tree against an older commit, on one file.
#
#   bash Benchmarks/xlsx-reader-ab.sh BASE_COMMIT FILE.xlsx [RUNS]     # RUNS default 5
#
# Builds LeadsheetCore + Ingest of both with `swiftc -O -wmo` (no SwiftPM, no other module: two
# minutes instead of a release build of everything) and a small program that reads the
# default sheet to the end through `SourceOpener.openTable` and counts rows and cells.
# Then runs the two alternately (A, B, A, B…) so both see the same load, and prints CPU,
# wall time and peak RSS per run and their medians (Benchmarks/xlsx-ab.sh does the same
# for two leadsheet binaries).
# FILE: e.g. `python3 Tests/IngestTests/Fixtures/make_xlsx_fixtures.py --bench 1000000 F.xlsx`.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$1 file=$2 runs=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/base" "$work/new"
git archive "$base" Sources | tar -x -C "$work/base"
cp -R Sources "$work/new/"
cat > "$work/main.swift" <<'EOF'
import Ingest
import LeadsheetCore

@main struct ReadAll {
  static func main() throws {
    let table = try SourceOpener.openTable(path: CommandLine.arguments[1])
    var rows = 0
    var cells = 0
    while let row = try table.next() {
      rows += 1
      cells += row.cells.count
    }
    print(rows, cells)
  }
}
EOF
build() { # DIR
  local dir=$1 flags=(-O -wmo -parse-as-library -I "$1" -I "$1/Sources/CLibXML2" -I "$1/Sources/CLeadsheetZlib" -Xcc -I/usr/include/libxml2)
  swiftc "${flags[@]}" -module-name LeadsheetCore -emit-module -emit-module-path "$dir/LeadsheetCore.swiftmodule" \
    -emit-library -static -o "$dir/libLeadsheetCore.a" $(find "$dir/Sources/LeadsheetCore" -name '*.swift') 2>&1 | grep -v 'ld.gold' || true
  swiftc "${flags[@]}" -module-name Ingest -emit-module -emit-module-path "$dir/Ingest.swiftmodule" \
    -emit-library -static -o "$dir/libIngest.a" $(find "$dir/Sources/Ingest" -name '*.swift') 2>&1 | grep -v 'ld.gold' || true
  swiftc "${flags[@]}" "$work/main.swift" -o "$dir/readall" -L "$dir" -lIngest -lLeadsheetCore -lxml2 -lz 2>&1 | grep -v 'ld.gold' || true
  [[ -x "$dir/readall" ]] || { echo "building $dir failed" >&2; exit 1; }
}
echo "building $base and the working tree…"
build "$work/base"
build "$work/new"
echo "base: $("$work/base/readall" "$file")   new: $("$work/new/readall" "$file")  (rows cells)"
declare -A cpu wall rss
for i in $(seq "$runs"); do
  for side in base new; do
    /usr/bin/time -o "$work/time" -f "%U %S %e %M" "$work/$side/readall" "$file" >/dev/null
    read -r u s e m < <(tail -1 "$work/time")
    c=$(echo "$u + $s" | bc)
    cpu[$side]+="$c " wall[$side]+="$e " rss[$side]+="$m "
    printf '%-4s run %d: cpu %ss wall %ss rss %d MB\n' "$side" "$i" "$c" "$e" $((m / 1024))
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for side in base new; do
  printf '%-4s median: cpu %ss wall %ss, peak rss %d MB\n' "$side" \
    "$(echo "${cpu[$side]}" | median)" "$(echo "${wall[$side]}" | median)" \
    $(($(echo "${rss[$side]}" | tr ' ' '\n' | sort -g | tail -1) / 1024))
done
