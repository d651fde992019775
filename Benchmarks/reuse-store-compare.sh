#!/usr/bin/env bash
# Creating a 1M-row job with an empty contact store and with a store of 1M contacts
# (the same list's contacts, answered by an earlier job), alternately, side by side:
# the job's creation time (created_at -> ingested_at), the process's wall, CPU and peak
# RSS. Reuse happens when requests are handed out, not at ingest: the two should match.
#
#   bash Benchmarks/reuse-store-compare.sh BIN [ROWS] [REPEAT]
#   LABELS="empty full refresh" bash Benchmarks/reuse-store-compare.sh BIN …  (refresh: the
#   full store with --refresh, so that nothing is reused while the list is stored)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1; rows=${2:-1000000}; repeat=${3:-2}
. Benchmarks/lib.sh
csv=$(large_csv "$rows")
work=$(mktemp -d)
BIN=$bin
trap 'stop_sim 2>/dev/null || true; rm -rf "$work"' EXIT
start_sim --rate 0 --latency-ms 0,0
url=$SIM_URL

# A database whose contact store holds one email answer per contact of the list, keyed
# as ContactIdentity keys them (li: + LinkedIn URL, else nm: + first, last, domain/company).
"$bin" jobs --db "$work/store.sqlite" >/dev/null 2>&1 || true
python3 - "$csv" "$work/store.sqlite" <<'PY'
import csv, sqlite3, sys, time
path, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
now = time.time()
def fold(s): return " ".join(s.lower().split())
def keys():
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = [h.lower() for h in next(r)]
        col = lambda *names: next((i for i, h in enumerate(header) if any(n in h for n in names)), None)
        fi, la, co, do, li = col("first"), col("last"), col("company"), col("domain", "website"), col("linkedin")
        for row in r:
            url = fold(row[li]) if li is not None else ""
            if url:
                yield "li:" + url
            else:
                place = fold(row[do]) if do is not None else ""
                yield "nm:" + "\x1f".join([fold(row[fi]), fold(row[la]), place or fold(row[co])])
con.executemany(
    "INSERT OR IGNORE INTO contacts (identity, type, found, value, status, message, bought_at, job_id)"
    " VALUES (?, 'email', 1, 'someone@example.com', 'valid', NULL, ?, 'abc234')",
    ((k, now) for k in keys()))
con.commit()
print("contact store:", con.execute("SELECT count(*) FROM contacts").fetchone()[0], "entries")
PY
cp "$work/store.sqlite" "$work/store.template"

echo "rows: $rows, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$repeat"); do
  for label in ${LABELS:-empty full}; do
    db="$work/$label.sqlite"; rm -f "$db"*
    extra=()
    [ "$label" != empty ] && cp "$work/store.template" "$db"
    # refresh: the full store, reused by nothing (what reuse itself costs the ingest).
    [ "$label" = refresh ] && extra=(--refresh)
    sync  # the copy's dirty pages are written now, not during the measured run's fsyncs
    PRONTO_API_KEY=benchkey /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$bin" enrich "$csv" \
      --limit 1 --rate 0 --base-url "$url/v2" --db "$db" --output "$work/out.csv" -q "${extra[@]}" \
      >/dev/null 2>&1 || true
    created=$(sqlite3 "$db" "SELECT ingested_at - created_at FROM jobs ORDER BY created_at DESC LIMIT 1")
    read -r wall user sys kb < <(tail -1 "$work/time")
    awk -v l="$label" -v r="$round" -v c="$created" -v w="$wall" -v u="$user" -v s="$sys" \
      -v kb="$kb" -v n="$rows" 'BEGIN { printf "%-5s store #%d: creation %6.2f s (%7.0f rows/s), process %6.2f s wall %6.2f s CPU, %6.1f MB peak RSS\n", l, r, c, n/c, w, u+s, kb/1024 }'
  done
done
