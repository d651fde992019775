#!/usr/bin/env bash
# Fuzzes leadsheet's CSV and XLSX readers with libFuzzer (+ AddressSanitizer) for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [csv|xlsx|both]     default: 120 both
#
# Builds SystemIO, LeadsheetCore and Ingest with `swiftc -sanitize=fuzzer,address` into .build-fuzz/
# (no SwiftPM: only these two modules and libxml2/zlib), then runs each target on a corpus
# seeded from Tests/IngestTests/Fixtures (and Samples/). A crash input is written to
# .build-fuzz/findings/; keep it under Tests/IngestTests/Fixtures/fuzz-regressions/ (the
# test FuzzRegressionTests reads every file there). Prints executions and time per target.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-120}
WHICH=${2:-both}
OUT=.build-fuzz
mkdir -p "$OUT/findings"
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g
  -I "$OUT" -I Sources/CLibXML2 -I Sources/CLeadsheetZlib -Xcc -I/usr/include/libxml2)

build_module() { # NAME SOURCES_DIR
  local name=$1 dir=$2
  local sources
  mapfile -t sources < <(find "$dir" -name '*.swift' | sort)
  # `-sanitize=fuzzer` here instruments (coverage) without linking libFuzzer's main.
  swiftc "${FLAGS[@]}" -module-name "$name" -emit-module -emit-module-path "$OUT/$name.swiftmodule" \
    -emit-library -static -o "$OUT/lib$name.a" "${sources[@]}" 2>&1 | grep -v 'ld.gold: warning' || true
  [[ -f "$OUT/lib$name.a" ]] || { echo "fuzz: building $name failed" >&2; exit 1; }
}

if [[ ! -f "$OUT/libIngest.a" || -n "$(find Sources/Ingest Sources/LeadsheetCore Sources/SystemIO scripts/fuzz \
  -newer "$OUT/libIngest.a" -name '*.swift')" ]]; then
  rm -f "$OUT"/lib*.a
  echo "fuzz: building SystemIO, LeadsheetCore and Ingest (fuzzer + address sanitizer)…"
  build_module SystemIO Sources/SystemIO
  build_module LeadsheetCore Sources/LeadsheetCore
  build_module Ingest Sources/Ingest
fi

run_target() { # csv|xlsx
  local kind=$1 define
  define=$(echo "FUZZ_$kind" | tr '[:lower:]' '[:upper:]')
  local bin="$OUT/fuzz-$kind"
  if [[ ! -x "$bin" || "$OUT/libIngest.a" -nt "$bin" || scripts/fuzz/IngestFuzzTarget.swift -nt "$bin" ]]; then
    swiftc "${FLAGS[@]}" -D "$define" scripts/fuzz/IngestFuzzTarget.swift -o "$bin" \
      -L "$OUT" -lIngest -lLeadsheetCore -lSystemIO -lxml2 -lz 2>&1 | grep -v 'ld.gold: warning' || true
  fi
  local corpus="$OUT/corpus-$kind"
  mkdir -p "$corpus"
  if [[ $kind == csv ]]; then
    cp -n Samples/*.csv "$corpus/" 2>/dev/null || true
    printf 'First Name,Last Name,Company\nAda,"Love\nlace",Acme\n' > "$corpus/seed-quoted.csv"
    printf '\xff\xfeF\x00,\x00L\x00\n\x00' > "$corpus/seed-utf16.csv"
    printf 'Firma;Umsatz\r\nAcme;1,5\rBeta;"2,25"\n' > "$corpus/seed-semicolon.csv"
    # Legacy code pages (read as Windows-1252, checked for plausibility) and UTF-16/UTF-32
    # with and without a byte-order mark (recognised by their pattern).
    cp -n Tests/IngestTests/Fixtures/encodings/*.csv "$corpus/" 2>/dev/null || true
  else
    # The fixtures include the kinds of issue 14: backslash entry names
    # (backslash_names.xlsx), OLE2 files (legacy_renamed.xlsx, a LibreOffice .xls;
    # encrypted.xlsx; ole2_other.xlsx), dxfs, dialog/macro sheets, damaged XML.
    find Tests/IngestTests/Fixtures -name '*.xlsx' -size -200k -exec cp -n {} "$corpus/" \;
    # Stored (uncompressed) copies: mutations then reach the XML parsers instead of zlib
    # (the reader does not check CRCs).
    python3 - "$corpus" Tests/IngestTests/Fixtures/*.xlsx <<'PY'
import os, sys, zipfile
corpus = sys.argv[1]
for src in sys.argv[2:]:
    dst = os.path.join(corpus, "stored-" + os.path.basename(src))
    if os.path.exists(dst) or os.path.getsize(src) > 200_000:
        continue
    # A second stored copy with Windows-style entry names (xl\workbook.xml).
    for target, rename in ((dst, lambda n: n),
                           (os.path.join(corpus, "stored-backslash-" + os.path.basename(src)),
                            lambda n: n.replace("/", "\\"))):
        try:
            with zipfile.ZipFile(src) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
                for info in z.infolist():
                    data = z.read(info)
                    if len(data) <= 20_000:
                        out.writestr(rename(info.filename), data)
        except Exception:
            if os.path.exists(target):
                os.remove(target)
PY
  fi
  local dict=()
  [[ $kind == xlsx ]] && dict=(-dict=scripts/fuzz/xlsx.dict)
  echo "fuzz: $kind for ${SECONDS_PER_TARGET}s…"
  local log="$OUT/fuzz-$kind.log" rc=0 started=$SECONDS
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    "$bin" "$corpus" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
    -rss_limit_mb=1024 -max_len=$([[ $kind == xlsx ]] && echo 65536 || echo 8192) \
    -artifact_prefix="$OUT/findings/$kind-" -print_final_stats=1 > "$log" 2>&1 || rc=$?
  local execs
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
  # After a crash there are no final stats: the last status line's count.
  [[ -n $execs ]] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  echo "fuzz: $kind: ${execs:-?} executions in $((SECONDS - started))s, exit $rc" \
    "($(grep -cE '^#[0-9]+.*NEW' "$log" || true) new coverage units; log $log)"
  if [[ $rc -ne 0 ]]; then
    grep -E 'ERROR|Fatal error|Precondition|SUMMARY|artifact' "$log" | head -20
    return 1
  fi
}

status=0
[[ $WHICH == csv || $WHICH == both ]] && { run_target csv || status=1; }
[[ $WHICH == xlsx || $WHICH == both ]] && { run_target xlsx || status=1; }
ls "$OUT/findings" | sed 's/^/finding: /'
exit $status
