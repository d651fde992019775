#!/usr/bin/env bash
# Load test of the API client against `leadsheet simulate`, in two processes so
# that the client's CPU and the simulator's CPU are measured apart.
#
#   scripts/load-test-client.sh                  # 2,000 requests, 200 in flight, --rate 0, 5 ms
#   RATE=50 scripts/load-test-client.sh          # proves the limiter: peak_rate <= 50
#   CONFIG=debug REQUESTS=500 scripts/load-test-client.sh
#
# Prints the client's JSON report (requests_per_second, cpu_seconds, …), the
# simulator's CPU and its /__stats peak_rate, peak_concurrency and rate_limited.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
REQUESTS=${REQUESTS:-2000}
CONCURRENCY=${CONCURRENCY:-200}
RATE=${RATE:-0}
LATENCY=${LATENCY:-5,5}

swift build -c "$CONFIG" --product leadsheet >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)/leadsheet"
OUT=$(mktemp)
"$BIN" simulate --port 0 --rate "$RATE" --latency-ms "$LATENCY" >"$OUT" 2>/dev/null &
SIM=$!
trap 'kill "$SIM" 2>/dev/null || true; rm -f "$OUT"' EXIT
for _ in $(seq 100); do [ "$(wc -l <"$OUT")" -ge 3 ] && break; sleep 0.1; done
ADDRESS=$(sed -n 1p "$OUT" | sed 's/^listening on //')
KEY=$(sed -n 2p "$OUT" | sed 's/^api key: //')
ticks() { awk '{print $14 + $15}' "/proc/$SIM/stat"; }
HZ=$(getconf CLK_TCK)
before=$(ticks)
PRONTO_API_KEY="$KEY" "$BIN" load-test --base-url "$ADDRESS/v2" \
  --requests "$REQUESTS" --concurrency "$CONCURRENCY"
after=$(ticks)
echo "simulator_cpu_seconds: $(awk -v a="$after" -v b="$before" -v hz="$HZ" 'BEGIN{print (a-b)/hz}')"
curl -s "$ADDRESS/__stats" | grep -E '"(peak_rate|peak_concurrency|rate_limited|billed|requests)"'
echo "config: $CONFIG requests=$REQUESTS concurrency=$CONCURRENCY rate=$RATE latency_ms=$LATENCY"
