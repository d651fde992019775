#!/usr/bin/env bash
# Job creation benchmark: `leadsheet enrich --limit 1` (read, plan and store a 1M-row list as a
# job, send one request) side by side with the sqlite3 shell's `.import` of the same CSV into
# a plain table (a floor: SQLite storing the text, nothing else), then the time to the first request of
# `enrich` and of `resume` against `leadsheet simulate` in its own process.
#
#   bash Benchmarks/job-create.sh [ROWS]     # default 1,000,000
#   BIN=path/to/release/leadsheet bash Benchmarks/job-create.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
data=Benchmarks/data
mkdir -p "$data"
csv="$data/leads-$rows.csv"
[ -f "$csv" ] || python3 Benchmarks/make-large-list.py "$rows" "$data/leads-$rows" csv
if [ -n "${BIN:-}" ]; then
  bin=$BIN # a release binary built elsewhere (e.g. a clone of the same commit)
else
  swift build -c release --product leadsheet >/dev/null
  bin=$(swift build -c release --show-bin-path)/leadsheet
fi
work=$(mktemp -d)
trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$work"' EXIT
sim_pid=
ls -l "$csv" | awk '{printf "%s %.1f MB\n", $9, $5/1e6}'
echo "rows: $rows"

report() { # NAME "SECONDS KB"
  awk -v n="$1" -v s="${2% *}" -v kb="${2#* }" -v r="$rows" \
    'BEGIN { printf "%-46s %7.2f s %10.0f rows/s %7.1f MB peak RSS\n", n, s, r/s, kb/1024 }'
}
timed() { { /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/err"; } 2>&1 | tail -1; }

# 1. SQLite's floor: the CSV into a plain table (synchronous=FULL, WAL, as the job store).
out=$( { /usr/bin/time -f "%e %M" sqlite3 "$work/import.sqlite" \
  "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=FULL;" ".mode csv" ".import $csv leads" \
  >/dev/null; } 2>&1 | tail -1)
report "sqlite3 .import (plain table)" "$out"

# 1b. SQLite's floor for leadsheet's schema: the imported rows copied by one INSERT … SELECT
# into an empty job database (rows with their cells, one request per row as a contact key,
# every index), in one transaction: no Swift, no parsing, no planning.
"$bin" jobs --db "$work/schema.sqlite" >/dev/null 2>&1 || true
out=$( { /usr/bin/time -f "%e %M" sqlite3 "$work/schema.sqlite" \
  "PRAGMA synchronous=FULL;" "ATTACH '$work/import.sqlite' AS s;" \
  "INSERT INTO jobs VALUES ('j','p','h',0,'csv',NULL,'','','email','{}',100,'ingesting',NULL,0,0,0,0,NULL);" \
  "BEGIN;" \
  "INSERT INTO requests (id, job_id, contact_key, body, first_chunk) SELECT rowid, 'j', \"First Name\"||char(31)||\"Last Name\"||char(31)||Company||char(31)||Website||char(31)||\"LinkedIn URL\"||char(31)||'email'||char(31), '', (rowid - 1) / 100 FROM s.leads;" \
  "INSERT INTO rows (job_id, row_index, line, cells, plan, request_id) SELECT 'j', rowid - 1, rowid + 1, CAST(Id||Title||Company||\"First Name\"||\"Last Name\"||Website||\"LinkedIn URL\"||Location||Created||'0123456789' AS BLOB), 'request', rowid FROM s.leads;" \
  "COMMIT;" >/dev/null; } 2>&1 | tail -1)
report "sqlite3 INSERT…SELECT into leadsheet's schema" "$out"
ls -l "$work/schema.sqlite" | awk '{printf "  (its database: %.1f MB)\n", $5/1e6}'

# The simulator in its own process (no latency: the creation time is the job's own).
"$bin" simulate --port 0 --keys k --rate 0 --latency-ms 0,0 >"$work/sim.out" 2>/dev/null &
sim_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/sim.out" | head -1)

# 2. A job from the same CSV: SHA-256, read, plan, store, and one request (--limit 1).
out=$( { PRONTO_API_KEY=k /usr/bin/time -f "%e %M" "$bin" enrich "$csv" --limit 1 --rate 0 \
  --base-url "$url/v2" --db "$work/jobs.sqlite" --output "$work/out.csv" -q; } \
  2>&1 | tail -1) || true
report "leadsheet enrich --limit 1 (job created)" "$out"
job=$(sqlite3 "$work/jobs.sqlite" "SELECT id FROM jobs ORDER BY created_at DESC LIMIT 1")
echo "job $job: $(sqlite3 "$work/jobs.sqlite" "SELECT state, row_count FROM jobs WHERE id='$job'")"
# The job's own creation (created → every row stored), without the SHA-256 before it
# and the run's summary after it.
created=$(sqlite3 "$work/jobs.sqlite" "SELECT ingested_at - created_at FROM jobs WHERE id='$job'")
awk -v s="$created" -v r="$rows" \
  'BEGIN { printf "%-46s %7.2f s %10.0f rows/s\n", "  of which the job'"'"'s creation (created → stored)", s, r/s }'
ls -l "$work/jobs.sqlite" | awk '{printf "job database %.1f MB\n", $5/1e6}'

# 3. Time to the first request, against the same simulator.
requests() { curl -sf "$url/__stats" | tr -d ' \n' | sed -n 's/.*"requests":\([0-9]*\).*/\1/p'; }
first_request() { # LABEL COMMAND...: seconds from start to the simulator's first request
  local label=$1; shift
  local before t0 t1
  before=$(requests)
  t0=$(date +%s.%N)
  PRONTO_API_KEY=k "$@" >/dev/null 2>"$work/first.err" &
  local pid=$!
  while [ "$(requests)" -le "$before" ]; do
    kill -0 $pid 2>/dev/null || { echo "$label: ended before a request"; cat "$work/first.err"; return; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  kill -INT $pid; wait $pid 2>/dev/null || true
  awk -v n="$label" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-46s %7.2f s to the first request\n", n, b - a }'
}
api=(--base-url "$url/v2" --rate 20 --db "$work/live.sqlite" -q)
first_request "enrich (new 1M-row job)" "$bin" enrich "$csv" "${api[@]}" --output "$work/o1.csv"
live=$(sqlite3 "$work/live.sqlite" "SELECT id FROM jobs ORDER BY created_at DESC LIMIT 1")
echo "after Ctrl-C: job $live $(sqlite3 "$work/live.sqlite" "SELECT state, row_count FROM jobs WHERE id='$live'")"
first_request "resume (interrupted while storing)" "$bin" resume "$live" "${api[@]}" --output "$work/o2.csv"
api=(--base-url "$url/v2" --rate 20 --db "$work/jobs.sqlite" -q)
first_request "resume (1M-row job, fully stored)" "$bin" resume "$job" "${api[@]}" --output "$work/o3.csv"
