#!/usr/bin/env bash
# Example release script: publish the layer to every cloud and region we ship to, then publish a
# function version that uses it. Credentials and endpoints come from the environment (see
# `layerctl providers`); run `npm run demo` to try it against the local emulator.
set -euo pipefail
cd "$(dirname "$0")"
LAYER_NAME=${LAYER_NAME:-release-deps}
LAYERCTL=${LAYERCTL:-"node ../bin/layerctl"}

# KEY=value lines, one set per target: LAYERCTL_AWS_US_EAST_1_VERSION=7 ...
# Tencent imports Python packages from /opt, AWS and Aliyun from /opt/python: two layouts, two zips.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
$LAYERCTL publish layers/python-deps \
  --provider tencent --region ap-guangzhou \
  --name "$LAYER_NAME" --runtime python3.9 --license MIT \
  --skip-unchanged --output env >>"$out"
$LAYERCTL publish layers/python-deps --prefix python \
  --provider aws,aliyun --region aws:us-east-1,aws:eu-west-1,aliyun:cn-hangzhou \
  --name "$LAYER_NAME" --runtime python3.12 --license MIT \
  --skip-unchanged --output env >>"$out"
set -a
# shellcheck disable=SC1090
. "$out"
set +a
echo "tencent ap-guangzhou: $LAYER_NAME v$LAYERCTL_TENCENT_AP_GUANGZHOU_VERSION"
echo "aws us-east-1:        $LAYERCTL_AWS_US_EAST_1_ARN"
echo "aws eu-west-1:        $LAYERCTL_AWS_EU_WEST_1_ARN"
echo "aliyun cn-hangzhou:   $LAYERCTL_ALIYUN_CN_HANGZHOU_ARN"

$LAYERCTL publish-function api --provider tencent --description "layer $LAYER_NAME v$LAYERCTL_TENCENT_AP_GUANGZHOU_VERSION" --output table
