#!/usr/bin/env bash
# Records the public API of every shipped library in its PublicAPI.Unshipped.txt (Microsoft.CodeAnalysis.PublicApiAnalyzers).
# Run it after an intended public API change, review the diff, commit it. The build fails (RS0016/RS0017) on any public
# API change that is not recorded, so nothing public changes by accident.
#   bash eng/update-public-api.sh            # add new symbols, drop removed ones
# Why a script and not `dotnet format analyzers`: the code fix skips generated sources (the gRPC/protobuf types are
# public API too), while the analyzer's own messages name every symbol exactly as the files want it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
artifacts="$(mktemp -d)"
trap 'rm -rf "$artifacts"' EXIT

# The packed libraries (eng/Library.props adds the analyzer to every packable project under src/).
libraries=$(grep -L '<IsPackable>false</IsPackable>' src/*/*.csproj)
for csproj in $libraries; do
  dir=$(dirname "$csproj")
  for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$f" ] || printf '#nullable enable\n' > "$dir/$f"
  done
done

for pass in 1 2 3; do
  log="$artifacts/build-$pass.log"
  # Warnings stay warnings for this build so every project reports its symbols in one pass.
  dotnet build Twist.slnx -c Release --artifacts-path "$artifacts/out" -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= \
    -nologo -clp:NoSummary -v:q > "$log" 2>&1 || true
  changed=$(python3 - "$log" <<'PY'
import re, sys, os, collections
added = collections.defaultdict(set)
removed = collections.defaultdict(set)
pattern = re.compile(r"(RS0016|RS0017): Symbol '(?P<sym>.*?)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(?P<proj>[^\]]+\.csproj)")
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = pattern.search(line)
    if not m:
        continue
    target = os.path.join(os.path.dirname(m.group("proj")), "PublicAPI.Unshipped.txt")
    (added if m.group(1) == "RS0016" else removed)[target].add(m.group("sym"))
count = 0
for target in set(added) | set(removed):
    lines = [l.rstrip("\n") for l in open(target, encoding="utf-8")] if os.path.exists(target) else ["#nullable enable"]
    header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
    body = {l for l in lines if l and not l.startswith("#")}
    body = (body | added[target]) - removed[target]
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + sorted(body, key=lambda s: s.lstrip("~").lower())) + "\n")
    count += len(added[target]) + len(removed[target])
print(count)
PY
)
  echo "pass $pass: $changed public API line(s) recorded"
  [ "$changed" = "0" ] && exit 0
done
echo "still changing after 3 passes; run it again" >&2
exit 1
