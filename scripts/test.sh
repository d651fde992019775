#!/usr/bin/env bash
# Runs leadsheet's test suite (the command README.md gives).
set -euo pipefail
cd "$(dirname "$0")/.."
swift test --parallel "$@"
