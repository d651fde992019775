#!/usr/bin/env bash
# Two builds of leadsheet creating the same 1M-row job with --order-by, alternately, side
# by side: the job's creation time (created_at -> ingested_at, which includes the ranking),
# the process's wall and CPU, and peak RSS.
#
#   bash Benchmarks/order-by-compare.sh OLD_BIN NEW_BIN [ROWS] [REPEAT] [ORDER]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1; new=$2; rows=${3:-1000000}; repeat=${4:-2}; order=${5:-Created:desc}
. Benchmarks/lib.sh
csv=$(large_csv "$rows")
work=$(mktemp -d)
BIN=$new
trap 'stop_sim 2>/dev/null || true; rm -rf "$work"' EXIT
start_sim --rate 0 --latency-ms 0,0
echo "rows: $rows, --order-by $order, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$repeat"); do
  for label in old new; do
    bin=$old; [ "$label" = new ] && bin=$new
    db="$work/$label.sqlite"; rm -f "$db"*
    PRONTO_API_KEY=benchkey /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$bin" enrich "$csv" \
      --order-by "$order" --limit 1 --rate 0 --base-url "$SIM_URL/v2" --db "$db" \
      --output "$work/out.csv" -q >/dev/null 2>&1 || true
    created=$(sqlite3 "$db" "SELECT ingested_at - created_at FROM jobs")
    ranked=$(sqlite3 "$db" "SELECT count(send_rank) FROM requests")
    read -r wall user sys kb < <(tail -1 "$work/time")
    awk -v l="$label" -v r="$round" -v c="$created" -v w="$wall" -v u="$user" -v s="$sys" \
      -v kb="$kb" -v k="$ranked" 'BEGIN { printf "%s #%d: creation+ranking %6.2f s, process %6.2f s wall %6.2f s CPU, %6.1f MB peak RSS, %d requests ranked\n", l, r, c, w, u+s, kb/1024, k }'
  done
done
