#!/usr/bin/env bash
# A/B of two leadsheet builds reading the same XLSX with `inspect`, in one run, alternating
# (A, B, A, B…) so that both see the same machine load. Prints each run's CPU (user+sys),
# wall time and peak RSS, then the medians.
#
#   bash Benchmarks/xlsx-ab.sh OLD_BINARY NEW_BINARY FILE.xlsx [RUNS]    # RUNS default 5
#
# FILE: e.g. `python3 Tests/IngestTests/Fixtures/make_xlsx_fixtures.py --bench 1000000 F.xlsx`.
set -euo pipefail
old=$1 new=$2 file=$3 runs=${4:-5}
declare -A cpu wall rss
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for i in $(seq "$runs"); do
  for side in old new; do
    bin=${!side}
    /usr/bin/time -o "$tmp" -f "%U %S %e %M" "$bin" inspect "$file" >/dev/null 2>&1 || true
    read -r u s e m < <(tail -1 "$tmp")
    c=$(echo "$u + $s" | bc)
    cpu[$side]+="$c "
    wall[$side]+="$e "
    rss[$side]+="$m "
    printf '%s run %d: cpu %ss wall %ss rss %d MB\n' "$side" "$i" "$c" "$e" $((m / 1024))
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for side in old new; do
  printf '%s median: cpu %ss wall %ss, peak rss %d MB\n' "$side" \
    "$(echo "${cpu[$side]}" | median)" "$(echo "${wall[$side]}" | median)" \
    $(( $(echo "${rss[$side]}" | tr ' ' '\n' | sort -g | tail -1) / 1024 ))
done
