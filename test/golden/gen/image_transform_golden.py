#!/usr/bin/env python3
"""Golden values for imageTransform / image.transform (run: python3 image_transform_golden.py; writes ../image-transform.json).

Keras 3's affine_transform on the TensorFlow backend is tf.raw_ops.ImageProjectiveTransformV3, whose CPU kernel
(tensorflow/core/kernels/image/image_ops.h: ProjectiveGenerator, MapCoordinate) is written out below in NumPy float32
scalars, every + - * / separately rounded, exactly the sequence documented in src/core/ops/image-transform.ts:
  k = t6 X + t7 Y + 1 (k == 0: fill); ix = (t0 X + t1 Y + t2) / k; iy = (t3 X + t4 Y + t5) / k (non-finite: fill);
  x = map(ix, W), y = map(iy, H) by fill mode; constant: outside [0, W-1] x [0, H-1] -> fill;
  nearest: round half away from zero; bilinear: TF's (x_ceil - x) / (x - x_floor) weights, reads outside -> fill.
Each case stores `expected` (float32 bits the engine must reproduce) for every fill mode x interpolation.

As a second reference the script evaluates, in float64, the formula of Keras's NumPy / JAX backends
(keras/src/backend/{numpy,jax}/image.py: affine_transform -> map_coordinates with scipy-style index fixers:
constant / nearest (clip) / wrap (mod) / reflect (half-sample symmetric), order 0 or 1) and checks the float32
results against it: everywhere for 'reflect' and 'nearest' (the two formulations are the same function), and where
the input point lies inside the image for 'constant' and 'wrap' (outside, TF's kernel fills the whole border pixel
band for 'constant', clamps the wrap seam, and its wrap divides by len - 1 instead of len, so the backends differ
there by design; src/core/ops/image-transform.ts documents it). The largest deviation is printed and stored.
TensorFlow itself is not available here; the script is the reference. Float32 values are written with the shortest
decimal that round-trips to the same float32.
"""
import json
import math
import os

import numpy as np

F = np.float32
MODES = ['reflect', 'wrap', 'constant', 'nearest']
INTERPS = ['nearest', 'bilinear']


def map_coord(v, n, mode):
    """TF MapCoordinate in float32 (the int64 products of TF are exact integers rounded once: F(s) * F(k))."""
    if mode == 'constant':
        return v
    if mode == 'reflect':
        if v < 0:
            if n <= 1:
                v = F(0)
            else:
                s = F(2 * n)
                v = F(s * np.trunc(F(-v) / s)) + v
                v = v + s if v < -n else F(-v) - F(1)
        elif v > n - 1:
            if n <= 1:
                v = F(0)
            else:
                s = F(2 * n)
                v = v - F(s * np.trunc(v / s))
                if v >= n:
                    v = (s - v) - F(1)
    elif mode == 'wrap':
        if v < 0:
            if n <= 1:
                v = F(0)
            else:
                s = F(n - 1)
                v = v + F(F(n) * F(np.trunc(F(-v) / s) + F(1)))
        elif v > n - 1:
            if n <= 1:
                v = F(0)
            else:
                s = F(n - 1)
                v = v - F(F(n) * np.trunc(v / s))
    # Eigen clamp: v < 0 ? 0 : (n - 1 < v ? n - 1 : v)
    if v < 0:
        return F(0)
    if F(n - 1) < v:
        return F(n - 1)
    return F(v)


def tf_transform(img, tr, out_hw, interp, mode, fill):
    """img [N, H, W, C] float32, tr [N or 1, 8] float32 -> [N, oh, ow, C] float32 (TF's kernel, float32 steps)."""
    n_img, h, w, c = img.shape
    oh, ow = out_hw
    fill = F(fill)
    out = np.zeros((n_img, oh, ow, c), F)
    with np.errstate(all='ignore'):
        for b in range(n_img):
            t = [F(v) for v in tr[0 if tr.shape[0] == 1 else b]]
            for yo in range(oh):
                for xo in range(ow):
                    X, Y = F(xo), F(yo)
                    k = (t[6] * X + t[7] * Y) + F(1)
                    if k == 0:
                        out[b, yo, xo, :] = fill
                        continue
                    ix = ((t[0] * X + t[1] * Y) + t[2]) / k
                    iy = ((t[3] * X + t[4] * Y) + t[5]) / k
                    if not (np.isfinite(ix) and np.isfinite(iy)):
                        out[b, yo, xo, :] = fill
                        continue
                    x = map_coord(ix, w, mode)
                    y = map_coord(iy, h, mode)
                    if x < 0 or x > w - 1 or y < 0 or y > h - 1:
                        out[b, yo, xo, :] = fill
                        continue

                    def read(r, q):
                        if 0 <= r < h and 0 <= q < w:
                            return img[b, r, q, :]
                        return np.full((c,), fill, F)

                    if interp == 'nearest':
                        def rnd(v):
                            fl = np.floor(v)
                            return int(fl) + (1 if (v - fl) >= F(0.5) else 0)
                        out[b, yo, xo, :] = read(rnd(y), rnd(x))
                        continue
                    yf, xf = np.floor(y), np.floor(x)
                    yc, xc = yf + F(1), xf + F(1)
                    wx0, wx1, wy0, wy1 = xc - x, x - xf, yc - y, y - yf
                    top = wx0 * read(int(yf), int(xf)) + wx1 * read(int(yf), int(xc))
                    bot = wx0 * read(int(yc), int(xf)) + wx1 * read(int(yc), int(xc))
                    out[b, yo, xo, :] = wy0 * top + wy1 * bot
    assert out.dtype == F
    return out


def fix_index(i, n, mode):
    """Keras numpy/JAX backends' index fixers (scipy.ndimage semantics)."""
    if mode == 'constant':
        return i
    if mode == 'nearest':
        return min(max(i, 0), n - 1)
    if mode == 'wrap':
        return i % n
    # reflect: _reflect_index_fixer = (mirror(2i + 1, 2n + 1) - 1) // 2, mirror(j, m) = |(j + m - 1) % (2m - 2) - (m - 1)|
    m = 2 * n + 1
    s = m - 1
    j = abs((2 * i + 1 + s) % (2 * s) - s)
    return (j - 1) // 2


def keras_numpy_transform(img, tr, out_hw, interp, mode, fill):
    """float64 map_coordinates formula of Keras's NumPy / JAX backends (affine part; c0 = c1 = 0 there, the projective
    division is added as TF defines it). Returns values and a mask of the points whose input lies inside the image."""
    n_img, h, w, c = img.shape
    oh, ow = out_hw
    out = np.zeros((n_img, oh, ow, c))
    inside = np.zeros((n_img, oh, ow), bool)
    for b in range(n_img):
        t = [float(v) for v in tr[0 if tr.shape[0] == 1 else b]]
        for yo in range(oh):
            for xo in range(ow):
                k = t[6] * xo + t[7] * yo + 1
                if k == 0:
                    out[b, yo, xo, :] = fill
                    continue
                ix = (t[0] * xo + t[1] * yo + t[2]) / k
                iy = (t[3] * xo + t[4] * yo + t[5]) / k
                if not (math.isfinite(ix) and math.isfinite(iy)):
                    out[b, yo, xo, :] = fill
                    continue
                inside[b, yo, xo] = 0 <= ix <= w - 1 and 0 <= iy <= h - 1
                if interp == 'nearest':
                    # jnp.round (half to even) of the coordinate; TF rounds half away from zero: ties are skipped below
                    ny = [(int(round(iy)), 1.0)]
                    nx = [(int(round(ix)), 1.0)]
                else:
                    fy, fx = math.floor(iy), math.floor(ix)
                    ny = [(fy, 1 - (iy - fy)), (fy + 1, iy - fy)]
                    nx = [(fx, 1 - (ix - fx)), (fx + 1, ix - fx)]
                acc = np.zeros(c)
                for (ry, wy) in ny:
                    for (rx, wx) in nx:
                        if mode == 'constant' and not (0 <= ry < h and 0 <= rx < w):
                            v = np.full(c, float(fill))
                        else:
                            v = img[b, fix_index(ry, h, mode), fix_index(rx, w, mode), :].astype(np.float64)
                        acc += wy * wx * v
                out[b, yo, xo, :] = acc
    return out, inside


def short(v):
    v = F(v)
    if np.isnan(v):
        return 'NaN'
    s = np.format_float_positional(v, unique=True, trim='-')
    if F(float(s)) != v or np.signbit(F(float(s))) != np.signbit(v):
        s = repr(float(v))
    return s


def enc(a):
    return [short(v) for v in np.asarray(a, F).reshape(-1)]


rng = np.random.default_rng(20261207)
cases = []
worst = {}


def rotation(angle, h, w):
    c, s = math.cos(angle), math.sin(angle)
    xo = ((w - 1) - (c * (w - 1) - s * (h - 1))) / 2
    yo = ((h - 1) - (s * (w - 1) + c * (h - 1))) / 2
    return [c, -s, xo, s, c, yo, 0, 0]


def zoom(zx, zy, h, w):
    return [zx, 0, (w - 1) / 2 * (1 - zx), 0, zy, (h - 1) / 2 * (1 - zy), 0, 0]


def add(name, img, tr, out_hw=None, fill=0.0):
    img = np.asarray(img, F)
    tr = np.asarray(tr, F)
    out_hw = out_hw or img.shape[1:3]
    expected = {}
    for mode in MODES:
        for interp in INTERPS:
            e = tf_transform(img, tr, out_hw, interp, mode, fill)
            expected[f'{mode}/{interp}'] = enc(e)
            ref, inside = keras_numpy_transform(img, tr, out_hw, interp, mode, fill)
            mask = np.ones(inside.shape, bool) if mode in ('reflect', 'nearest') else inside
            if interp == 'nearest':
                # skip exact half-pixel ties (TF rounds half away from zero, jnp.round half to even) and the points
                # whose float32 and float64 coordinates round differently
                mask = mask & ~near_tie(tr, img.shape, out_hw)
            diff = np.abs(e.astype(np.float64) - ref)[mask]
            scale = max(1.0, float(np.max(np.abs(img))))
            d = float(np.max(diff)) / scale if diff.size else 0.0
            worst[f'{mode}/{interp}'] = max(worst.get(f'{mode}/{interp}', 0.0), d)
            assert d < 1e-5, (name, mode, interp, d)
    cases.append({
        'name': name,
        'images': {'shape': list(img.shape), 'data': enc(img)},
        'transforms': {'shape': list(tr.shape), 'data': enc(tr)},
        'outputShape': list(out_hw),
        'fillValue': fill,
        'expected': expected,
    })


def near_tie(tr, shape, out_hw):
    n_img = shape[0]
    oh, ow = out_hw
    m = np.zeros((n_img, oh, ow), bool)
    for b in range(n_img):
        t = [float(v) for v in tr[0 if tr.shape[0] == 1 else b]]
        for yo in range(oh):
            for xo in range(ow):
                k = t[6] * xo + t[7] * yo + 1
                if k == 0:
                    continue
                for v in ((t[0] * xo + t[1] * yo + t[2]) / k, (t[3] * xo + t[4] * yo + t[5]) / k):
                    if math.isfinite(v) and abs(v - math.floor(v) - 0.5) < 1e-4:
                        m[b, yo, xo] = True
    return m


H, W = 5, 6
img = rng.uniform(-1, 1, size=(4, H, W, 2))
add('rotations 0.5, -2.2 rad, zoom 1.4 x 0.7, translation (-2.5, 1.25)', img, [
    rotation(0.5, H, W), rotation(-2.2, H, W), zoom(1.4, 0.7, H, W), [1, 0, 2.5, 0, 1, -1.25, 0, 0]])
add('one transform for all images, fill 0.5, output 7x4', img[:2], [rotation(0.9, H, W)], (7, 4), 0.5)
add('projective rows, a zero projection, non-finite coordinates, fill -2', img[:3], [
    [0.8, 0.3, -0.5, -0.2, 1.1, 0.7, 0.05, -0.08],
    [1, 0, 0, 0, 1, 0, -0.5, 0],  # k = 0 at x = 2
    [1, 0, 0, 0, 1, 0, float('nan'), 0]], None, -2.0)
add('far outside: zoom 6 (several reflect / wrap periods)', img[:2], [zoom(6.5, 5.2, H, W), [-7, 0.5, 3, 0.3, -4.5, 40, 0, 0]])
add('flips and identity (exact copies)', img[:3], [[-1, 0, W - 1, 0, 1, 0, 0, 0], [1, 0, 0, 0, -1, H - 1, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0]])
add('single row and single column images', rng.uniform(-3, 3, size=(1, 1, 4, 1)), [rotation(0.3, 1, 4)], (3, 4))
add('single column image', rng.uniform(-3, 3, size=(1, 4, 1, 3)), [[1, 0, 0.4, 0.2, 1.5, -2.2, 0, 0]], (5, 2))

out = {
    'op': 'imageTransform',
    'source': 'test/golden/gen/image_transform_golden.py (NumPy %s)' % np.__version__,
    'max_abs_diff_vs_keras_numpy_backend_formula': {k: float('%.3g' % v) for k, v in worst.items()},
    'cases': cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'image-transform.json')
with open(path, 'w') as fh:
    json.dump(out, fh, separators=(',', ':'))
    fh.write('\n')
print('wrote', os.path.normpath(path), 'cases', len(cases), 'max |float32 TF kernel - float64 Keras numpy formula| / max|image|:', out['max_abs_diff_vs_keras_numpy_backend_formula'])
