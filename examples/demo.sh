#!/usr/bin/env bash
# A tour of layerctl against the local emulator: nothing leaves this machine.
# Starts `layerctl emulate`, then publishes the example layers to all three clouds, reads them
# back, runs the example release script and Makefile against it, and then a release from a config
# file: init, publish with a record, promotion with an alias, sharing, pruning, a staged big layer.
set -euo pipefail
cd "$(dirname "$0")/.."
layerctl() { node bin/layerctl "$@"; }

state=$(mktemp -d)
trap 'kill "$emu_pid" 2>/dev/null || true; rm -rf "$state"' EXIT

# The emulator prints `export ...` lines for its endpoint and keys once it listens.
node bin/layerctl emulate --port 0 --publish-delay 500 --update-delay 200 --function api \
  --bucket aws:us-east-1=demo-layers-us-east-1 >"$state/env" 2>"$state/log" &
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

echo "== a release from a config file: layerctl init guesses runtimes and prefixes"
repo=$PWD
mkdir -p "$state/app/layers"
cp -r examples/layers/python-deps examples/layers/node-deps "$state/app/layers/"
cd "$state/app"
layerctl() { node "$repo/bin/layerctl" "$@"; }
layerctl init layers/
# Settings every layer shares go at the top of the file: a record, where to publish, the function to move.
node -e '
const fs = require("fs");
const c = JSON.parse(fs.readFileSync("layerctl.config.json", "utf8"));
c.record = "layers.lock.json";
c.skipUnchanged = true;
c.regions = ["tencent:ap-guangzhou", "aws:us-east-1", "aws:eu-west-1", "aliyun:cn-hangzhou"];
fs.writeFileSync("layerctl.config.json", JSON.stringify(c, null, 2) + "\n");'
cat layerctl.config.json

echo "== publish every layer, recording the versions (the layer is in every env key)"
layerctl publish --output env | grep _VERSION=
echo "== again: nothing changed, so nothing is published and the record stays byte for byte"
sum=$(cksum <layers.lock.json)
layerctl publish --output version
[ "$sum" = "$(cksum <layers.lock.json)" ] && echo "layers.lock.json unchanged"

echo "== promote: each region's function moves to the version that region got, with an alias"
layerctl attach python-deps --from-record layers.lock.json -f api --alias live --dry-run --output table
layerctl attach python-deps --from-record layers.lock.json -f api --alias live --output table

echo "== share publicly where the cloud can (Tencent cannot: skipped, with the reason)"
layerctl share python-deps latest --public --output table

echo "== a new version, then prune every layer of the file down to the newest one"
echo "# demo change" >>layers/python-deps/requirements.txt
layerctl publish python-deps -p aws -r us-east-1 --output version
layerctl prune --keep 1 -p aws --yes --output table

echo "== a big layer goes through object storage (over AWS's ~50 MB inline limit)"
mkdir -p big/bin
head -c 55000000 /dev/urandom >big/bin/blob
layerctl publish big -p aws -n demo-big --runtime python3.12 --bucket 'aws=demo-layers-{region}' --output table
