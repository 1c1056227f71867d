#!/usr/bin/env bash
# Gravity scale-out: the scale-out fault tests (tests/Gravity.Sync.Messaging.Tests, ScaleOut/, which CI runs in a short
# form) plus the throughput runs, with bigger numbers:
#   - take-over: three synchronizer processes share a partitioned NATS stream (claims) or a Kafka topic (consumer group,
#     librdkafka's mock cluster in the test process) and one PostgreSQL database; one is killed with SIGKILL while
#     events flow and a fourth joins; reports how long until others write the victim's partitions again;
#   - throughput: 1, 2 and 3 processes on a 6-partition NATS stream apply a burst of keys x versions events.
# Needs nats-server with JetStream and a PostgreSQL server whose user may CREATE DATABASE:
#   TWIST_TEST_NATS=nats://127.0.0.1:4222 TWIST_TEST_POSTGRES='Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres' \
#     bench/run-gravity-scaleout-bench.sh [--keys 1000] [--versions 20]
# Prints one result line per scenario (they go to docs/benchmarks.md, "Gravity scale-out").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TWIST_TEST_POSTGRES:?set TWIST_TEST_POSTGRES to a PostgreSQL connection string whose user may CREATE DATABASE}"
: "${TWIST_TEST_NATS:?set TWIST_TEST_NATS to a nats-server with JetStream, e.g. nats://127.0.0.1:4222}"

export GRAVITY_SCALEOUT_BENCH=1 GRAVITY_SCALEOUT_KEYS=1000 GRAVITY_SCALEOUT_VERSIONS=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keys) GRAVITY_SCALEOUT_KEYS="$2"; shift 2 ;;
    --versions) GRAVITY_SCALEOUT_VERSIONS="$2"; shift 2 ;;
    *) echo "unknown option $1 (use --keys, --versions)" >&2; exit 2 ;;
  esac
done

GRAVITY_SCALEOUT_RESULTS="$(mktemp)"
export GRAVITY_SCALEOUT_RESULTS
trap 'rm -f "$GRAVITY_SCALEOUT_RESULTS"' EXIT
out="${TMPDIR:-/tmp}/gravity-scaleout-bench"
load_before="$(cut -d" " -f1-3 /proc/loadavg)"
dotnet build tests/Gravity.Sync.Messaging.Tests -c Release --artifacts-path "$out" -v quiet -nologo
dotnet test --project tests/Gravity.Sync.Messaging.Tests -c Release --artifacts-path "$out" --no-build -- --filter-class 'Gravity.Sync.Messaging.Tests.ScaleOut.ScaleOutProcessTests'
echo "keys ${GRAVITY_SCALEOUT_KEYS}, versions ${GRAVITY_SCALEOUT_VERSIONS}; every process on this one machine: $(nproc) cores, $(uname -sr), .NET SDK $(dotnet --version), $(nats-server --version 2>/dev/null || echo 'nats-server ?'), load average ${load_before} at the start, $(cut -d" " -f1-3 /proc/loadavg) at the end"
cat "$GRAVITY_SCALEOUT_RESULTS"
