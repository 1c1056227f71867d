#!/usr/bin/env bash
# Rebuilds the stub NATS.NKeys 1.0.1 package into eng/local-feed/ (see README.md, "NATS.Client.Core", for why it
# exists). The .nupkg is committed, so only run this after changing eng/nats-nkeys-stub/.
# The package cache keeps the first NATS.NKeys 1.0.1 it saw, so the old copy is removed from it as well.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FEED="$ROOT/eng/local-feed"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

dotnet pack "$ROOT/eng/nats-nkeys-stub/NATS.NKeys.csproj" -c Release --artifacts-path "$WORK/artifacts" -o "$WORK/out" \
  -p:ContinuousIntegrationBuild=true
mkdir -p "$FEED"
rm -f "$FEED"/nats.nkeys.*.nupkg "$FEED"/NATS.NKeys.*.nupkg
cp "$WORK/out/NATS.NKeys.1.0.1.nupkg" "$FEED/"

CACHE="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
if [[ -n "$CACHE" && -d "$CACHE/nats.nkeys/1.0.1" ]]; then
  rm -rf "$CACHE/nats.nkeys/1.0.1"
fi
echo "wrote $FEED/NATS.NKeys.1.0.1.nupkg"
