#!/usr/bin/env bash
# Formats the Swift sources with `swift format` (the repo's .swift-format), or checks them with --lint.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--lint" ]; then
  swift format lint --recursive Sources Tests Package.swift
else
  swift format --in-place --recursive Sources Tests Package.swift
fi
