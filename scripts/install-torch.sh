#!/usr/bin/env bash
# Installs PyTorch (CPU) for the PyTorch peer of `npm run bench` (bench/README.md): Debian's
# python3-torch, used through /usr/bin/python3. Needs root (apt-get); takes a few minutes.
# Nothing else in the project uses it: `npm test` and `npm run bench` run without it (the bench
# then reports the torch configurations as `cannot run: ...`).
#   bash scripts/install-torch.sh          # as root
#   sudo bash scripts/install-torch.sh     # otherwise
set -euo pipefail

PY=/usr/bin/python3

if [ -x "$PY" ] && "$PY" -c 'import torch' >/dev/null 2>&1; then
  echo "install-torch: torch $("$PY" -c 'import torch; print(torch.__version__)') is already installed for $PY"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-torch: apt-get not found. This script installs Debian/Ubuntu's python3-torch;" >&2
  echo "  elsewhere install a CPU build of PyTorch for some python3 and point the bench at it:" >&2
  echo "  DITTO_BENCH_PYTHON=/path/to/python3 npm run bench" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-torch: apt-get needs root. Run it as root or with sudo:" >&2
  echo "  sudo bash scripts/install-torch.sh" >&2
  echo "  (it runs: apt-get update && apt-get install -y python3-torch)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
# With Recommends: libtorch recommends an optimized BLAS (libopenblas0 first) over the reference libblas3.
apt-get install -y python3-torch

"$PY" - <<'PYEOF'
import torch
print(f"install-torch: torch {torch.__version__} for {__import__('sys').executable}; "
      f"MKLDNN (oneDNN) available: {torch.backends.mkldnn.is_available()}")
PYEOF
