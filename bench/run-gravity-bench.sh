#!/usr/bin/env bash
# Builds the Gravity synchronizer benchmark in Release and runs it (docs/benchmarks.md, "Gravity sync throughput"):
#   bench/run-gravity-bench.sh [--events 200000] [--rounds 3] [--batch 500] [--partitions N] \
#     [--targets sqlite,postgres] [--distributions new,hot] [--sides gravity,baseline,same] [--checkpoint-ms 100] [--warmup events/4] [--out results.md]
# "baseline" is the plain multi-row upsert loop; "same" is a hand-written loop with the statements Gravity's dialect
# uses (SQLite: one prepared single-row upsert per row; PostgreSQL: unnest arrays), i.e. the synchronizer's own cost.
# Each run's line also shows the bench process's CPU time per event (and, for a PostgreSQL server on this machine, the
# server's), bytes allocated per event, GC pauses, JIT time (should be small: the warm-up runs twice on events/4) and,
# for Gravity, the share of the time its partitions spent in commits. GRAVITY_BENCH_MARKS=1 prints a line as each
# measured run ends, so a profiler attached to the process (perf record) can stop before the view check.
# PostgreSQL runs when TWIST_TEST_POSTGRES names a server (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres)
# whose user may create schemas; without it only SQLite runs.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/gravity-bench-build"
dotnet build bench/Gravity.Bench -c Release --artifacts-path "$out" -v quiet -nologo
exec dotnet "$out/bin/Gravity.Bench/release/Gravity.Bench.dll" "$@"
