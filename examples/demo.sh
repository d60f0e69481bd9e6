#!/usr/bin/env bash
# A tour of layerctl against the local emulator: nothing leaves this machine.
# Starts `layerctl emulate`, then publishes the example layers to all three clouds, reads them
# back, and runs the example release script and Makefile against it.
set -euo pipefail
cd "$(dirname "$0")/.."
layerctl() { node bin/layerctl "$@"; }

state=$(mktemp -d)
trap 'kill "$emu_pid" 2>/dev/null || true; rm -rf "$state"' EXIT

# The emulator prints `export ...` lines for its endpoint and keys once it listens.
node bin/layerctl emulate --port 0 --publish-delay 500 --function api >"$state/env" 2>"$state/log" &
emu_pid=$!
until grep -q LAYERCTL_ENDPOINT_ALIYUN "$state/env" 2>/dev/null; do
  kill -0 "$emu_pid" 2>/dev/null || { cat "$state/log" >&2; exit 1; }
  sleep 0.1
done
# shellcheck disable=SC1091
source "$state/env"
echo "== emulator at $LAYERCTL_ENDPOINT_TENCENT"

echo "== providers"
layerctl providers --output table | head -10

echo "== publish a Python layer: Tencent imports from /opt, AWS and Aliyun from /opt/python"
layerctl publish examples/layers/python-deps -p tencent -n demo-deps --runtime python3.9 --description "demo" --output table
layerctl publish examples/layers/python-deps --prefix python -p aws,aliyun -n demo-deps --runtime python3.12 --description "demo" --output table

echo "== publish the Node layer, keep only the version (as a release script would)"
V=$(layerctl publish examples/layers/node-deps -p aws -n demo-node --runtime nodejs20 --output version)
echo "aws demo-node version: $V"

echo "== read it back"
layerctl get demo-node "$V" -p aws --output json

echo "== release script"
bash examples/release.sh

echo "== Makefile"
make -s -C examples layer
