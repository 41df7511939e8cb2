#!/usr/bin/env bash
# Runs the PostGraphile 5 peer in the foreground with the Node 22 binary that
# `npm ci --prefix bench/postgraphile` installs (the system node is too old).
# Env: BENCH_DATABASE_URL (required), BENCH_POOL_SIZE (10), BENCH_PGL_PORT (5678).
set -euo pipefail
cd "$(dirname "$0")"
: "${BENCH_DATABASE_URL:?BENCH_DATABASE_URL must be set}"
node=./node_modules/node/bin/node
if [[ ! -x $node ]]; then
  echo "serve.sh: $node missing; run: npm ci --prefix bench/postgraphile" >&2
  exit 1
fi
export NODE_ENV=production GRAPHILE_ENV=production
cmd=("$node" ./node_modules/postgraphile/dist/cli-run.js --config ./graphile.config.mjs)
echo "+ ${cmd[*]}" >&2
exec "${cmd[@]}"
