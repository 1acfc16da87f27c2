#!/usr/bin/env bash
# Regenerates test/fixtures/face-model-v1: a model saved in the first face-model.json format
# (version 1: no preprocessing spec; readers infer it from meta.backbone), and the embeddings that
# `face embed` gave for it when it was written. The migration test checks that later versions load
# it and give the same embeddings. Run from the repository root after `pnpm build`, on the commit
# whose format the fixture is meant to keep (it was made at 5a144e7 + issue 14's changes).
set -euo pipefail
out=packages/cli/test/fixtures/face-model-v1
run=$(mktemp -d)
face="node packages/cli/dist/bin.js"
$face train --data synthetic --backbone convnet-tiny --image-size 32 --embedding-size 16 \
  --identities 6 --images-per-identity 4 --epochs 1 --batch 8 --val-identities 0 --val-images 0 \
  --out "$run/run" --backend cpu --quiet
$face embed --model "$run/run/model" --data synthetic --identities 2 --images-per-identity 2 \
  --out "$run/embeddings.json" --backend cpu
rm -rf "$out" && mkdir -p "$out" && cp -r "$run/run/model/." "$out/"
node -e "
const j = require('$run/embeddings.json');
const items = j.items.map((i) => ({ source: i.source, identity: i.identity, embedding: i.embedding }));
require('fs').writeFileSync('$out/embeddings.json', JSON.stringify({ items }, null, 1) + '\n');"
rm -rf "$run"
