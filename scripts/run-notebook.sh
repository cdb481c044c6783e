#!/usr/bin/env bash
# Executes examples/notebook.ipynb headlessly on Deno's Jupyter kernel and checks its outputs.
#
#   scripts/run-notebook.sh [notebook.ipynb]    # default examples/notebook.ipynb; builds dist/ when stale
#
# Needs Jupyter's nbconvert from Debian (no pip): the minimal set is
#   apt-get install --no-install-recommends jupyter-nbconvert
# which pulls python3-nbconvert, python3-nbclient, python3-jupyter-client, python3-zmq, … (about 45 packages,
# 6 MB to download, 25 MB installed, under a minute); no ipykernel (the kernel is Deno's), no pandoc.
# The kernelspec is written into a throw-away JUPYTER_PATH, so nothing depends on $HOME or on
# `deno jupyter --install` having been run; nothing is downloaded. The executed copy goes to a temporary directory
# (the committed notebook keeps its outputs cleared) and scripts/check-notebook.mjs fails the run when a cell
# errored, a chart cell produced no application/vnd.vegalite.v5+json output, or a key figure (recomputed by Node
# from the same build) is missing from the printed output. KEEP_NOTEBOOK=path keeps the executed copy.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
notebook="$(realpath "${1:-examples/notebook.ipynb}")"

deno="$root/node_modules/deno/deno"
[ -x "$deno" ] || deno="$(realpath node_modules/.bin/deno)"
if ! command -v jupyter >/dev/null || ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "run-notebook: jupyter nbconvert not found; apt-get install --no-install-recommends jupyter-nbconvert" >&2
  exit 1
fi

. scripts/ensure-build.sh run-notebook

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/jupyter/kernels/deno" "$work/runtime" "$work/config" "$work/data"
cat >"$work/jupyter/kernels/deno/kernel.json" <<EOF
{
  "argv": ["$deno", "jupyter", "--kernel", "--conn", "{connection_file}"],
  "display_name": "Deno",
  "language": "typescript",
  "env": { "DENO_NO_UPDATE_CHECK": "1", "NO_COLOR": "1" }
}
EOF
# Only our kernelspec and config: no user or system Jupyter configuration leaks in.
export JUPYTER_PATH="$work/jupyter" JUPYTER_DATA_DIR="$work/data" JUPYTER_CONFIG_DIR="$work/config" \
  JUPYTER_RUNTIME_DIR="$work/runtime" JUPYTER_PLATFORM_DIRS=1 DENO_DIR="${DENO_DIR:-$work/deno-dir}" \
  PYDEVD_DISABLE_FILE_VALIDATION=1 PYTHONDONTWRITEBYTECODE=1

executed="$work/executed.ipynb"
start=$(date +%s.%N)
# --allow-errors: the check below reports every failing cell by name rather than nbconvert's first traceback
# deno_execute.DenoExecutePreprocessor is nbconvert's ExecutePreprocessor plus a grace period for the outputs
# Deno's kernel publishes after reporting idle (see scripts/deno_execute.py); it is enabled in place of --execute.
PYTHONPATH="$root/scripts${PYTHONPATH:+:$PYTHONPATH}" jupyter nbconvert --to notebook \
  --Exporter.preprocessors=deno_execute.DenoExecutePreprocessor --DenoExecutePreprocessor.enabled=True \
  --ExecutePreprocessor.kernel_name=deno --ExecutePreprocessor.timeout=300 --allow-errors \
  --output-dir "$work" --output executed.ipynb "$notebook" 2> >(grep -v -e 'frozen modules' -e 'Debugger warning' -e 'PYDEVD' -e 'debugger miss' -e 'Xfrozen_modules' >&2)
end=$(date +%s.%N)
printf 'run-notebook: executed %s on Deno %s in %.1f s\n' "${notebook#"$root"/}" "$("$deno" --version | head -1 | cut -d' ' -f2)" "$(echo "$end - $start" | bc)"
[ -n "${KEEP_NOTEBOOK:-}" ] && cp "$executed" "$KEEP_NOTEBOOK"
node scripts/check-notebook.mjs "$executed"
