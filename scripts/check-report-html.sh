#!/usr/bin/env bash
# Renders the sample HTML report in headless Chromium: fails if the page logs an
# error or a chart is missing from the DOM; writes docs/report-sample.png.
#
#   scripts/check-report-html.sh            # build, make the sample, check, screenshot
#   SAMPLE_DIR=/tmp/x scripts/check-report-html.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }
SAMPLE_DIR=${SAMPLE_DIR:-$(mktemp -d)}
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT

# 1. The sample report: a 2,000-row job run against the simulator (SampleReportTests).
REPORT_SAMPLE_DIR="$SAMPLE_DIR" swift test --filter SampleReportTests >/dev/null
HTML="$SAMPLE_DIR/report-sample.html"
[ -s "$HTML" ] || { echo "no sample report written" >&2; exit 1; }

# 2. The DOM as Chromium built it, with the console on stderr.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$PROFILE" \
  --enable-logging=stderr --v=0 --dump-dom "file://$HTML" >"$SAMPLE_DIR/dom.html" \
  2>"$SAMPLE_DIR/console.log"
status=0
for chart in found-rates status-breakdown coverage by-0 by-1; do
  if ! grep -q "data-chart=\"$chart\"" "$SAMPLE_DIR/dom.html"; then
    echo "chart $chart is missing from the DOM" >&2
    status=1
  fi
done
bars=$(grep -o 'class="bar"' "$SAMPLE_DIR/dom.html" | wc -l)
[ "$bars" -ge 10 ] || { echo "only $bars bars drawn" >&2; status=1; }
if grep -E "Uncaught|ERROR:CONSOLE" "$SAMPLE_DIR/console.log" >&2; then
  echo "the page logged errors" >&2
  status=1
fi

# 3. The screenshot for docs/report.md.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --user-data-dir="$PROFILE" \
  --hide-scrollbars --screenshot=docs/report-sample.png --window-size=1200,1800 \
  "file://$HTML" 2>/dev/null
size=$(stat -c %s docs/report-sample.png)
echo "charts ok ($bars bars), screenshot docs/report-sample.png ($size bytes)"
[ "$size" -lt 307200 ] || { echo "screenshot larger than 300 KB" >&2; status=1; }
exit $status
