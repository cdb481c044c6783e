#!/usr/bin/env bash
# The Deno run: clientele's ESM build (dist/) under Deno 2, unchanged, compared with Node on the same build.
#
#   scripts/test-deno.sh            # builds dist/ when it is missing or older than src/, then tests
#
# 1. builds with tsup if dist/ is missing or stale;
# 2. Node runs test/deno/cases.mjs over dist/index.js (and checks dist/index.cjs agrees) into a reference JSON;
# 3. `deno test` runs test/deno/*_deno.ts over the same build and compares with that JSON.
#
# No network and no prompts: --no-remote, --no-prompt, deno.json's "nodeModulesDir": "manual" (npm packages come
# from node_modules/, deno never installs), "lock": false (no deno.lock written). DENO_DIR defaults to a throw-away
# directory, so the run depends on no cache in $HOME (Deno keeps only its type-check cache there; nothing is
# downloaded). The only access granted is reading the reference file, package.json and node_modules/parquet-wasm,
# and reading and writing one scratch directory (see below); the imports need none, being static.
set -euo pipefail
cd "$(dirname "$0")/.."

deno=node_modules/.bin/deno
if [ ! -x "$deno" ]; then
  echo "test-deno: $deno not found; run npm install (deno is a dev dependency)" >&2
  exit 1
fi

. scripts/ensure-build.sh test-deno

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DENO_DIR="${DENO_DIR:-$work/deno-dir}"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1

reference="$work/reference.json"
node scripts/deno-reference.mjs "$reference"

"$deno" --version | head -1
# read access: the reference, a scratch directory for the io tests (also writable), package.json (its "exports"
# must match the subpaths the test imports), and parquet-wasm's .wasm file, which its Node build (the one Deno
# picks, by the "node" export condition) reads from disk when the io cases first touch Parquet
mkdir "$work/io"
"$deno" test --no-remote --no-prompt --allow-read="$reference,$work/io,$PWD/package.json,$(realpath node_modules/parquet-wasm)" \
  --allow-write="$work/io" test/deno/*_deno.ts -- "$reference" "$work/io"
