#!/usr/bin/env bash
# HTTP load test of `multirec serve` on loopback: a Baby-sized model (19,445 users x 7,050 items x 64, random
# embeddings, synthetic interactions), GET /v1/users/{id}/recommendations?k=10 for random users with wrk.
# Usage: tools/bench/serve-load.sh [DURATION_SECONDS=30] [CONNECTIONS=32] [WRK_THREADS=2]
# Installs wrk (Debian package) when missing, builds Release, starts the server, runs wrk, stops the server
# with SIGTERM, prints wrk's report and one RESULT line (req/s, p50/p90/p99 latency, errors).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${1:-30}
connections=${2:-32}
threads=${3:-2}
port=${PORT:-5080}
users=19445
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v wrk >/dev/null; then
    echo "installing wrk (apt-get)"
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

dotnet build src/MultiRec.Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench/MultiRec.Benchmarks -c Release -v quiet -nologo >/dev/null

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

dotnet bench/MultiRec.Benchmarks/bin/Release/net10.0/MultiRec.Benchmarks.dll serve make-run "$work" --users "$users" --items 7050 --dims 64
dotnet src/MultiRec.Cli/bin/Release/net10.0/MultiRec.Cli.dll serve --run "$work/run" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!

for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.5
done
head -1 "$work/server.log"

echo "warm-up: 5 s"
USERS=$users K=10 wrk -t"$threads" -c"$connections" -d5s -s tools/bench/serve-load.lua "http://127.0.0.1:$port" >/dev/null
echo "load: wrk -t$threads -c$connections -d${duration}s --latency, k=10, random users, cores: $(nproc)"
USERS=$users K=10 wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s tools/bench/serve-load.lua "http://127.0.0.1:$port"

kill -TERM "$server"
wait "$server" && echo "server stopped cleanly (exit 0)" || echo "server exit code $?"
server=""
