# Sourced by the scripts that run the built package (test-deno.sh, run-notebook.sh): builds dist/ with tsup when it
# is missing or older than src/, tsup.config.ts or package.json. $1 names the caller in the message.
if [ ! -f dist/index.js ] || [ -n "$(find src tsup.config.ts package.json -newer dist/index.js -print -quit)" ]; then
  echo "$1: dist/ is missing or older than src/; building with tsup"
  npx tsup >/dev/null
fi
