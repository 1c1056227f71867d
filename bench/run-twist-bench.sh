#!/usr/bin/env bash
# Builds the coordinator host and the benchmark in Release and runs every scenario:
#   bench/run-twist-bench.sh [--concurrency 32] [--duration 10] [--warmup 3] [--rounds 3] [--out docs/twist-bench-latest.md]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/twist-bench-build"
dotnet build src/Twist.Coordinator.Host -c Release --artifacts-path "$out" -v quiet -nologo
dotnet build bench/Twist.Bench -c Release --artifacts-path "$out" -v quiet -nologo
exec dotnet "$out/bin/Twist.Bench/release/Twist.Bench.dll" --host-dll "$out/bin/Twist.Coordinator.Host/release/Twist.Coordinator.Host.dll" "$@"
