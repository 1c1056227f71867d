#!/usr/bin/env bash
# The long form of the cluster fault tests (tests/Twist.Coordinator.ClusterTests, which CI runs in a short form):
#   - failover: three coordinator hosts on one PostgreSQL database under load; one is killed with SIGKILL;
#   - recovery: a backlog of decided transactions waits on a participant service that is down, then returns.
# Needs a PostgreSQL server whose user may CREATE DATABASE:
#   TWIST_TEST_POSTGRES='Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres' \
#     bench/run-cluster-bench.sh [--lease 10] [--warmup 5] [--load 10] [--outage 60] [--backlog 2000]
# --lease: the coordinators' LeaseDuration in seconds (the product's default is 10); --warmup: seconds of load before
# measuring; --load: measured seconds of load before and after the kill; --outage: seconds the participant is down;
# --backlog: how many decided transactions wait on it. Prints one result line per scenario (they go to docs/benchmarks.md, "Cluster").
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TWIST_TEST_POSTGRES:?set TWIST_TEST_POSTGRES to a PostgreSQL connection string whose user may CREATE DATABASE}"

export TWIST_CLUSTER_LEASE=10 TWIST_CLUSTER_WARMUP=5 TWIST_CLUSTER_LOAD=10 TWIST_CLUSTER_OUTAGE=60 TWIST_CLUSTER_BACKLOG=2000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --lease) TWIST_CLUSTER_LEASE="$2"; shift 2 ;;
    --warmup) TWIST_CLUSTER_WARMUP="$2"; shift 2 ;;
    --load) TWIST_CLUSTER_LOAD="$2"; shift 2 ;;
    --outage) TWIST_CLUSTER_OUTAGE="$2"; shift 2 ;;
    --backlog) TWIST_CLUSTER_BACKLOG="$2"; shift 2 ;;
    *) echo "unknown option $1 (use --lease, --warmup, --load, --outage, --backlog)" >&2; exit 2 ;;
  esac
done

TWIST_CLUSTER_RESULTS="$(mktemp)"
export TWIST_CLUSTER_RESULTS
trap 'rm -f "$TWIST_CLUSTER_RESULTS"' EXIT
out="${TMPDIR:-/tmp}/twist-cluster-bench"
load_before="$(cut -d" " -f1-3 /proc/loadavg)"
dotnet build tests/Twist.Coordinator.ClusterTests -c Release --artifacts-path "$out" -v quiet -nologo
dotnet test --project tests/Twist.Coordinator.ClusterTests -c Release --artifacts-path "$out" --no-build
echo "lease ${TWIST_CLUSTER_LEASE} s, warm-up ${TWIST_CLUSTER_WARMUP} s, load ${TWIST_CLUSTER_LOAD} s before and after the kill, outage ${TWIST_CLUSTER_OUTAGE} s, backlog ${TWIST_CLUSTER_BACKLOG}; $(nproc) cores, $(uname -sr), .NET SDK $(dotnet --version), load average ${load_before} at the start, $(cut -d" " -f1-3 /proc/loadavg) at the end"
cat "$TWIST_CLUSTER_RESULTS"
