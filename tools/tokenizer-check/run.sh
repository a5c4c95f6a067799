#!/usr/bin/env bash
# Checks MultiRec's C# MiniLM token ids against HuggingFace tokenizers (npm) on an item text TSV, and on a
# sweep of every code point of planes 0-3 and 14 when --sweep is given. Prints the count of differing items.
# Usage: tools/tokenizer-check/run.sh ITEMS.tsv [--sweep]     (needs dotnet and node; runs `npm ci` once)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
items="${1:?usage: run.sh ITEMS.tsv [--sweep]}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ -d "$here/node_modules/tokenizers" ] || (cd "$here" && npm ci --no-audit --no-fund)
dotnet build "$repo/src/MultiRec.Cli" -c Release -v quiet -nologo >/dev/null
cli=(dotnet "$repo/src/MultiRec.Cli/bin/Release/net10.0/MultiRec.Cli.dll")

"${cli[@]}" data features tokens --items "$items" --out "$work/items.jsonl" --vocab-out "$work/vocab.txt"
node "$here/check.mjs" "$work/vocab.txt" "$work/items.jsonl"

if [ "${2:-}" = "--sweep" ]; then
    node "$here/make-sweep.mjs" "$work/sweep.tsv"
    "${cli[@]}" data features tokens --items "$work/sweep.tsv" --out "$work/sweep.jsonl"
    node "$here/check.mjs" "$work/vocab.txt" "$work/sweep.jsonl"
fi
