#!/usr/bin/env bash
# Export benchmark from a real job: ingest a ROWS-row list into a job (one request sent to a
# local simulator, the rest pending), then time `leadsheet export` to CSV and to XLSX.
#
#   bash Benchmarks/export-job.sh [ROWS]     # default 1,000,000
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
data=Benchmarks/data
mkdir -p "$data"
[ -f "$data/leads-$rows.csv" ] || python3 Benchmarks/make-large-list.py "$rows" "$data/leads-$rows" >/dev/null
swift build -c release --product leadsheet >/dev/null
bin=$(swift build -c release --show-bin-path)/leadsheet
work=$(mktemp -d /tmp/leadsheet-export.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$data/leads-$rows.csv" "$work/leads.csv"
"$bin" simulate --port 0 --keys k --latency-ms 0,0 > "$work/sim.out" 2>/dev/null &
for _ in $(seq 1 100); do grep -q "listening on" "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/sim.out" | head -1)
/usr/bin/time -f "%e %M" -o "$work/ingest.time" env PRONTO_API_KEY=k "$bin" enrich "$work/leads.csv" \
  --db "$work/jobs.sqlite" --base-url "$url/v2" --limit 1 --json > "$work/enrich.json" 2>/dev/null || true
job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job"])' "$work/enrich.json")
read -r s kb < <(tail -1 "$work/ingest.time")
awk -v s="$s" -v kb="$kb" -v r="$rows" 'BEGIN { printf "%-28s %8.2f s %10.0f rows/s %8.1f MB peak RSS\n", "ingest into a job", s, r/s, kb/1024 }'
for fmt in csv xlsx; do
  /usr/bin/time -f "%e %M" -o "$work/$fmt.time" "$bin" export "$job" --db "$work/jobs.sqlite" \
    -o "$work/out.$fmt" 2>/dev/null
  read -r s kb < <(tail -1 "$work/$fmt.time")
  awk -v n="export job to $fmt" -v s="$s" -v kb="$kb" -v r="$rows" \
    'BEGIN { printf "%-28s %8.2f s %10.0f rows/s %8.1f MB peak RSS\n", n, s, r/s, kb/1024 }'
done
