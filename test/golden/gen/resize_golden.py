#!/usr/bin/env python3
"""Golden values for resizeBilinear / image.resize (run: python3 resize_golden.py; writes ../resize.json).

TensorFlow 2 semantics of tf.image.resize(images, size, method='bilinear', antialias=False), i.e. the
ResizeBilinear kernel with half_pixel_centers=True, align_corners=False (tensorflow/core/kernels/image/
resize_bilinear_op.cc: compute_interpolation_weights with HalfPixelScaler, then compute_lerp):
  scale = float32(in) / float32(out)                     (CalculateResizeScale, float32)
  src   = (float32(i) + 0.5f) * scale - 0.5f              (HalfPixelScaler, float32)
  lower = max(floor(src), 0); upper = min(ceil(src), in - 1); lerp = src - floor(src)
  top = tl + (tr - tl) * lx; bottom = bl + (br - bl) * lx; out = top + (bottom - top) * ly
Each case stores two expectations:
  expected_f32: the sequence above in float32 with every operation separately rounded (NumPy float32
                scalars/arrays round each + - * /), as TF's C++ computes it without FMA contraction;
                ditto's kernels must give these bits exactly.
  expected_f64: the same formula with the coordinates (scale, src, lerp: float32 in TF, so part of the
                semantics) in float32 and the interpolation in float64, rounded once to float32. The test
                reports the ulp distance of the engine's result to it.
TensorFlow itself is not available here; the script is the reference. Float32 values are written with the
shortest decimal that round-trips through float64 parsing to the same float32 (checked below).
"""
import json
import os

import numpy as np

F = np.float32


def weights(n_in, n_out):
    scale = F(n_in) / F(n_out)
    lo, hi, lerp = [], [], []
    for i in range(n_out):
        src = (F(i) + F(0.5)) * scale - F(0.5)
        fl = np.floor(src)
        lo.append(min(max(int(fl), 0), n_in - 1))
        hi.append(min(int(np.ceil(src)), n_in - 1))
        lerp.append(F(src - fl))
    return lo, hi, lerp


def resize(x, out_h, out_w):
    n, h, w, c = x.shape
    ylo, yhi, ly = weights(h, out_h)
    xlo, xhi, lx = weights(w, out_w)
    r32 = np.zeros((n, out_h, out_w, c), F)
    r64 = np.zeros((n, out_h, out_w, c), F)
    for y in range(out_h):
        for xo in range(out_w):
            tl, tr = x[:, ylo[y], xlo[xo], :], x[:, ylo[y], xhi[xo], :]
            bl, br = x[:, yhi[y], xlo[xo], :], x[:, yhi[y], xhi[xo], :]
            top = tl + (tr - tl) * lx[xo]
            bottom = bl + (br - bl) * lx[xo]
            r32[:, y, xo, :] = top + (bottom - top) * ly[y]
            a64 = [v.astype(np.float64) for v in (tl, tr, bl, br)]
            ax, ay = np.float64(lx[xo]), np.float64(ly[y])
            top64 = a64[0] + (a64[1] - a64[0]) * ax
            bot64 = a64[2] + (a64[3] - a64[2]) * ax
            r64[:, y, xo, :] = (top64 + (bot64 - top64) * ay).astype(F)
    assert r32.dtype == F
    return r32, r64


def short(v):
    v = F(v)
    s = np.format_float_positional(v, unique=True, trim='-')
    if F(float(s)) != v or np.signbit(F(float(s))) != np.signbit(v):
        s = repr(float(v))
    return s


def enc(a):
    return [short(v) for v in a.reshape(-1)]


rng = np.random.default_rng(20261128)
cases = []


def add(name, x, size, dtype='float32'):
    x32 = x.astype(F)
    e32, e64 = resize(x32, *size)
    data = [int(v) for v in x.reshape(-1)] if dtype != 'float32' else enc(x32)
    cases.append({'name': name, 'input': {'shape': list(x.shape), 'dtype': dtype, 'data': data}, 'size': list(size),
                  'expected_f32': enc(e32), 'expected_f64': enc(e64)})


# MNIST-like uint8 image, upscaled 28 -> 32 (the reference program's prepare()).
digit = np.zeros((1, 28, 28, 1), np.uint8)
digit[0, 4:24, 6:22, 0] = rng.integers(0, 256, size=(20, 16))
add('uint8 28x28 -> 32x32 (upscale)', digit, (32, 32), 'uint8')
add('uint8 28x28 -> 13x9 (downscale, non-integer ratios)', digit, (13, 9), 'uint8')
add('float 2x6x7x3 -> 4x11 (mixed, 3 channels)', rng.uniform(-1, 1, size=(2, 6, 7, 3)), (4, 11))
add('float 1x5x5x2 -> 2x3 (downscale)', rng.uniform(-3, 3, size=(1, 5, 5, 2)), (2, 3))
add('float 1x1x1x2 -> 3x2 (single pixel)', rng.uniform(-3, 3, size=(1, 1, 1, 2)), (3, 2))
add('float 1x4x3x1 -> 4x3 (same size: identity)', rng.uniform(-3, 3, size=(1, 4, 3, 1)), (4, 3))
add('float 1x3x2x1 -> 1x7 (to one row)', rng.uniform(0, 1e3, size=(1, 3, 2, 1)), (1, 7))

out = {
    'op': 'resizeBilinear',
    'source': 'test/golden/gen/resize_golden.py (NumPy %s)' % np.__version__,
    'cases': cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resize.json')
with open(path, 'w') as fh:
    json.dump(out, fh, separators=(',', ':'))
    fh.write('\n')
ulps = []
for c in cases:
    a = np.array([float(v) for v in c['expected_f32']], F).view(np.int32).astype(np.int64)
    b = np.array([float(v) for v in c['expected_f64']], F).view(np.int32).astype(np.int64)
    ulps.append(int(np.max(np.abs(a - b))))
print('wrote', os.path.normpath(path), 'cases', len(cases), 'max ulp f32 vs f64 per case', ulps)
