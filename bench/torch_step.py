"""
The PyTorch (CPU) peer of `npm run bench`: one training configuration in its own process,
spawned by bench/run.ts through bench/lib/torch.ts and driven like bench/train-worker.ts:

  /usr/bin/python3 bench/torch_step.py --config torch-cpu-2t --threads 2 --layout contiguous \
      --data <batch file> [--n 64] [--steps N] [--warmup N] [--infer N] [--profile N]

It prints exactly one result line, the tag from $DITTO_BENCH_RESULT_TAG (bench/lib/child.ts's
RESULT_TAG) followed by JSON, and never exits non-zero on its own: a failure (no torch, say) is
reported as {"ok": false, "reason": ...}.

The model is the reference CNN of bench/lib/models.ts in torch.nn terms (NCHW):
Conv2d(1->32, 3x3) -> ReLU -> MaxPool 2x2 -> Dropout 0.2 -> Conv2d(32->32) -> ReLU -> MaxPool ->
Dropout -> Conv2d(32->32) -> ReLU -> global average pool -> Linear(32->64) -> ReLU -> Dropout 0.2
-> Linear(64->10) -> Softmax; 'valid' padding, Glorot-uniform weights and zero biases (as Keras),
Adam(lr 1e-3, betas 0.9/0.999, eps 1e-7). The loss is Keras's sparse categorical crossentropy on
the softmax output (probabilities clipped to [1e-7, 1 - 1e-7], mean of -log p[label]), plus the
accuracy metric, both read back every step (.item()), as ditto's fit and tfjs's trainOnBatch do.

Layouts: 'contiguous' (NCHW, torch's default) or 'channels_last' (model and input in
torch.channels_last memory format). Threads: torch.set_num_threads(N) and
torch.set_num_interop_threads(1), OMP_NUM_THREADS=N in the environment.

A timed step: fresh input tensors from the batch bytes, zero_grad, forward, loss, backward,
optimizer step, loss and accuracy read back. Inference: model.eval() under torch.inference_mode(),
the batch of 64, the output read back; 2 untimed calls first. Seeded (torch.manual_seed(812)):
the structure is deterministic, the timing is what matters.

With --profile N: N more training steps (after the timed ones, so the timed numbers are not
touched) under torch.profiler, reported as self CPU time per aten op per step.
"""
import argparse
import json
import os
import re
import resource
import sys
import time

TAG = os.environ.get("DITTO_BENCH_RESULT_TAG", "@@DITTO_BENCH_RESULT@@ ")
INSTALL = "bash scripts/install-torch.sh (as root: apt-get update && apt-get install -y python3-torch)"


def emit(value):
    sys.stdout.write("\n" + TAG + json.dumps(value) + "\n")
    sys.stdout.flush()


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--layout", choices=["contiguous", "channels_last"], default="contiguous")
    p.add_argument("--data", required=True)
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--image", type=int, default=32)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--infer", type=int, default=10)
    p.add_argument("--profile", type=int, default=0)
    p.add_argument("--probe", action="store_true", help="only report the torch version and build")
    return p.parse_args()


def loaded_libraries(words):
    """Shared libraries mapped into this process whose file name contains one of `words`."""
    found = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if any(w in name for w in words):
                    found.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(found)


def engine_info(torch, threads, layout):
    info = {
        "engine": "torch",
        "version": torch.__version__,
        "python": sys.executable,
        "pythonVersion": sys.version.split()[0],
        "layout": layout,
        "threads": torch.get_num_threads(),
        "interopThreads": torch.get_num_interop_threads(),
        "mkldnnAvailable": bool(torch.backends.mkldnn.is_available()),
        "mkldnnEnabled": bool(torch.backends.mkldnn.enabled),
        "mklAvailable": bool(torch.backends.mkl.is_available()),
        "openmpAvailable": bool(torch.backends.openmp.is_available()),
        "cpuCapability": None,
        "blasInfo": None,
        "parallelBackend": None,
        "env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ},
    }
    try:
        show = torch.__config__.show()
        for line in show.splitlines():
            line = line.strip()
            if line.startswith("- CPU capability usage:"):
                info["cpuCapability"] = line.split(":", 1)[1].strip()
            if "MKL-DNN" in line or "oneDNN" in line:
                info["onednnBuild"] = line.lstrip("- ").strip()
        m = re.search(r"BLAS_INFO=([^,\s]+)", show)
        if m:
            info["blasInfo"] = m.group(1)
        par = torch.__config__.parallel_info()
        for line in par.splitlines():
            if line.startswith("ATen parallel backend:"):
                info["parallelBackend"] = line.split(":", 1)[1].strip()
    except Exception as e:  # diagnostics only
        info["configError"] = str(e)[:200]
    try:
        from threadpoolctl import threadpool_info  # optional: not a dependency of python3-torch

        info["threadpools"] = [{k: d.get(k) for k in ("user_api", "internal_api", "num_threads", "version", "filepath")} for d in threadpool_info()]
    except Exception:
        pass
    return info


def onednn_trace(torch, fn):
    """Runs fn() once with oneDNN's verbose mode on (its lines go to fd 1, captured in a temporary
    file) and summarizes the primitives that executed: which oneDNN kernels a step really runs."""
    verbose = getattr(torch.backends.mkldnn, "verbose", None)
    if verbose is None:
        return {"error": "torch.backends.mkldnn.verbose is not available in this torch"}
    import ctypes
    import tempfile

    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            with verbose(torch.backends.mkldnn.VERBOSE_ON):
                fn()
        finally:
            libc.fflush(None)
            os.dup2(saved, 1)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read().decode("utf-8", "replace")
    info, prims = {}, {}
    for line in text.splitlines():
        f = line.split(",")
        if len(f) < 4 or not f[0].endswith("_verbose"):
            continue
        if f[1] == "info" and len(f) >= 4:
            if f[3].startswith("isa:"):
                info["isa"] = f[3][4:]
            elif f[3].startswith("runtime:") and f[2] == "cpu":
                info["runtime"] = ",".join(f[3:])
            elif f[3].startswith("oneDNN") or f[3].startswith("DNNL"):
                info["version"] = f[3]
        elif f[1] == "exec" and len(f) >= 6 and f[2] == "cpu":
            key = (f[3], f[5], f[4])
            e = prims.setdefault(key, {"primitive": f[3], "propKind": f[5], "impl": f[4], "calls": 0, "ms": 0.0})
            e["calls"] += 1
            try:
                e["ms"] += float(f[-1])
            except ValueError:
                pass
    info["primitives"] = sorted(prims.values(), key=lambda e: -e["ms"])
    return info


def build_model(torch):
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2),
        nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2),
        nn.Conv2d(32, 32, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(32, 64), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(64, 10), nn.Softmax(dim=1),
    )
    # Keras's defaults, as ditto and tfjs use: Glorot-uniform kernels, zero biases.
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def main():
    a = parse_args()
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install
        emit({"ok": False, "reason": f"torch is not importable by {sys.executable} ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); install it: {INSTALL}"})
        return
    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (only possible before any parallel work)
    if a.probe:
        emit({"ok": True, "engine": engine_info(torch, a.threads, a.layout)})
        return

    torch.manual_seed(812)
    fmt = torch.channels_last if a.layout == "channels_last" else torch.contiguous_format
    n, size = a.n, a.image
    with open(a.data, "rb") as f:
        raw = f.read()
    nx = n * size * size * 4
    if len(raw) != nx + n * 4:
        raise SystemExit(f"torch_step: {a.data} has {len(raw)} bytes, expected {nx + n * 4}")
    # The bench's batch is [n, 32, 32, 1] float32 (NHWC) and [n] int32 labels, little-endian. With one
    # channel, NHWC and NCHW hold the same bytes: [n, 1, 32, 32].
    x_base = torch.frombuffer(bytearray(raw[:nx]), dtype=torch.float32).view(n, 1, size, size)
    y_base = torch.frombuffer(bytearray(raw[nx:]), dtype=torch.int32)

    def fresh_batch():
        # Fresh tensors every step, as the other engines make them from the same arrays.
        return x_base.clone().contiguous(memory_format=fmt), y_base.to(torch.int64)

    model = build_model(torch).to(memory_format=fmt)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    eps = 1e-7

    def train_step():
        x, y = fresh_batch()
        opt.zero_grad(set_to_none=True)
        probs = model(x)
        loss = torch.nn.functional.nll_loss(torch.log(probs.clamp(eps, 1 - eps)), y)
        loss.backward()
        opt.step()
        acc = (probs.detach().argmax(dim=1) == y).float().mean()
        return loss.item(), acc.item()

    model.train()
    all_ms, losses = [], []
    for _ in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        loss, _acc = train_step()
        all_ms.append((time.perf_counter() - t0) * 1000)
        losses.append(loss)

    # Which convolution kernels ran: one more step under the profiler (untimed): aten op names.
    from torch.profiler import ProfilerActivity, profile

    def profiled(steps):
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            for _ in range(steps):
                train_step()
        return prof.key_averages()

    # The convolution implementations that ran: aten::mkldnn_convolution (oneDNN), aten::_slow_conv2d_* /
    # thnn_conv2d (im2col + BLAS), xnnpack / nnpack ..., and the backward entry point.
    kernels = sorted({e.key for e in profiled(1) if re.search(r"mkldnn|slow_conv|thnn|nnpack|convolution_backward", e.key)})
    # And the oneDNN primitives one step executes (its verbose mode; also untimed).
    try:
        onednn = onednn_trace(torch, train_step)
    except Exception as e:  # diagnostics only
        onednn = {"error": f"{type(e).__name__}: {e}"[:200]}
    ops = None
    if a.profile > 0:
        ops = [
            {"op": e.key, "msPerStep": e.self_cpu_time_total / 1000 / a.profile, "callsPerStep": e.count / a.profile}
            for e in sorted(profiled(a.profile), key=lambda e: -e.self_cpu_time_total)
            if e.self_cpu_time_total > 0
        ]

    model.eval()
    x, _ = fresh_batch()
    infer_ms = []
    with torch.inference_mode():
        for i in range(a.infer + 2):
            t0 = time.perf_counter()
            out = model(x)
            out.tolist()  # read the values back (on the CPU this is a copy into Python)
            t = (time.perf_counter() - t0) * 1000
            if i >= 2:
                infer_ms.append(t)

    engine = engine_info(torch, a.threads, a.layout)
    engine["convKernels"] = kernels
    engine["onednn"] = onednn
    engine["onednnUsed"] = any(p["primitive"] == "convolution" for p in onednn.get("primitives", [])) or any("mkldnn" in k for k in kernels)
    engine["blasLibraries"] = loaded_libraries(("blas", "blis", "mkl_rt", "lapack"))
    engine["onednnLibraries"] = loaded_libraries(("dnnl", "mkldnn"))
    engine["params"] = sum(p.numel() for p in model.parameters())
    engine["adamForeach"] = opt.defaults.get("foreach")
    result = {
        "ok": True, "config": a.config, "engine": engine,
        "stepsMs": all_ms[a.warmup:], "warmupMs": all_ms[:a.warmup], "inferMs": infer_ms,
        "firstLoss": losses[0], "lastLoss": losses[-1], "batch": n,
        "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if ops is not None:
        result["profile"] = {"steps": a.profile, "unit": "self time per aten op on the calling thread (torch.profiler)", "ops": ops[:40]}
    emit(result)


if __name__ == "__main__":
    try:
        main()
    except SystemExit as e:
        if e.code not in (None, 0):
            emit({"ok": False, "reason": str(e.code)[:400]})
    except BaseException as e:  # report, never crash without a result line
        emit({"ok": False, "reason": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:400]})
    sys.exit(0)
