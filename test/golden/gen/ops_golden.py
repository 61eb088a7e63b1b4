#!/usr/bin/env python3
"""Golden values for ditto's primitive ops, computed with NumPy (run: python3 ops_golden.py).

Writes ../ops.json: a list of cases {name, op, inputs, attrs, expected, check} where `check` is
  "exact"  - NumPy computes the op with correctly rounded float32 arithmetic (or it moves data),
             so every engine must give these bits;
  "ulp:N"  - reference computed in float64 and rounded to float32; the engine's result may differ
             by at most N units in the last place (own exp/log/tanh... approximations);
  "tol"    - reference computed in float64 (sums, products, convolutions): the engine sums in its
             own fixed order, so values agree to rtol 1e-5 / atol 1e-6 rather than bitwise.
Inputs come from numpy.random.default_rng(seed) with fixed seeds, so the file is reproducible.
TensorFlow semantics are reproduced for 'same' padding (pad_total = max((ceil(in/s)-1)*s + k - in, 0),
the smaller half first) and for average pooling (padding excluded from the count).
"""
import json
import math
import os

import numpy as np

rng = np.random.default_rng(20261127)
cases = []


def arr(a):
    a = np.asarray(a)
    dt = {np.dtype('float32'): 'float32', np.dtype('int32'): 'int32', np.dtype('uint8'): 'uint8'}[a.dtype]
    return {'shape': list(a.shape), 'dtype': dt, 'data': [float(v) if dt == 'float32' else int(v) for v in a.reshape(-1)]}


def add(name, op, inputs, attrs, expected, check):
    cases.append({'name': name, 'op': op, 'inputs': [arr(x) for x in inputs], 'attrs': attrs,
                  'expected': arr(expected), 'check': check})


def f32(shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


# ---------------------------------------------------------------- elementwise unary
x = np.concatenate([f32([40], -10, 10), np.array([0.0, -0.0, 1.0, -1.0, 1e-30, 3.5, -3.5, 20.0], np.float32)])
pos = np.concatenate([f32([40], 1e-3, 50), np.array([1.0, 2.0, 1e-20, 1e20, 0.5], np.float32)])
x64 = x.astype(np.float64)
add('neg', 'neg', [x], {}, -x, 'exact')
add('abs', 'abs', [x], {}, np.abs(x), 'exact')
add('sign', 'sign', [x], {}, np.sign(x).astype(np.float32) + np.float32(0), 'exact')
add('square', 'square', [x], {}, x * x, 'exact')
add('relu', 'relu', [x], {}, np.maximum(x, np.float32(0)) + np.float32(0), 'exact')
add('sqrt', 'sqrt', [pos], {}, np.sqrt(pos), 'exact')
add('exp', 'exp', [x], {}, np.exp(x64).astype(np.float32), 'ulp:2')
add('log', 'log', [pos], {}, np.log(pos.astype(np.float64)).astype(np.float32), 'ulp:2')
add('tanh', 'tanh', [x], {}, np.tanh(x64).astype(np.float32), 'ulp:2')
add('sigmoid', 'sigmoid', [x], {}, (1 / (1 + np.exp(-x64))).astype(np.float32), 'ulp:2')
add('clipByValue', 'clipByValue', [x], {'min': -1.5, 'max': 2.25}, np.clip(x, np.float32(-1.5), np.float32(2.25)), 'exact')
xi = rng.integers(-1000, 1000, size=[3, 4]).astype(np.int32)
add('neg int32', 'neg', [xi], {}, -xi, 'exact')
add('abs int32', 'abs', [xi], {}, np.abs(xi), 'exact')
add('square int32', 'square', [xi], {}, xi * xi, 'exact')

# ---------------------------------------------------------------- binary with broadcasting
pairs = [([3, 4], [3, 4]), ([2, 3, 4], [4]), ([2, 1, 4], [3, 1]), ([5], []), ([], [2, 2]), ([1, 3, 1], [2, 1, 5])]
for sa, sb in pairs:
    a, b = f32(sa), f32(sb)
    b_nz = np.where(np.abs(b) < 0.1, np.float32(0.5), b).astype(np.float32)
    tag = f'{sa}x{sb}'
    add(f'add {tag}', 'add', [a, b], {}, a + b, 'exact')
    add(f'sub {tag}', 'sub', [a, b], {}, a - b, 'exact')
    add(f'mul {tag}', 'mul', [a, b], {}, a * b, 'exact')
    add(f'div {tag}', 'div', [a, b_nz], {}, a / b_nz, 'exact')
    add(f'maximum {tag}', 'maximum', [a, b], {}, np.maximum(a, b), 'exact')
    add(f'minimum {tag}', 'minimum', [a, b], {}, np.minimum(a, b), 'exact')
    for op, fn in [('equal', np.equal), ('notEqual', np.not_equal), ('less', np.less), ('lessEqual', np.less_equal),
                   ('greater', np.greater), ('greaterEqual', np.greater_equal)]:
        bb = np.where(rng.uniform(size=b.shape) < 0.3, np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)).reshape(-1)[:b.size].reshape(b.shape) if b.size else b, b).astype(np.float32)
        add(f'{op} {tag}', op, [a, bb], {}, fn(a, bb).astype(np.uint8), 'exact')
ai = rng.integers(-50, 50, size=[2, 3]).astype(np.int32)
bi = rng.integers(-7, 8, size=[3]).astype(np.int32)
bi[bi == 0] = 3
add('add int32', 'add', [ai, bi], {}, ai + bi, 'exact')
add('mul int32', 'mul', [ai, bi], {}, ai * bi, 'exact')
add('div int32 (floor)', 'div', [ai, bi], {}, np.floor_divide(ai, bi), 'exact')
cond = (rng.uniform(size=[2, 3, 1]) < 0.5).astype(np.uint8)
wa, wb = f32([3, 4]), f32([1, 4])
add('where', 'where', [cond, wa, wb], {}, np.where(cond != 0, wa, wb), 'exact')

# ---------------------------------------------------------------- reductions
for shape, axes, keep in [([7], [0], False), ([3, 4], [1], False), ([3, 4], [0], True), ([2, 3, 4], [0, 2], False),
                          ([2, 3, 4], [1, 2], True), ([2, 3, 4], [0, 1, 2], False), ([1000], [0], False),
                          ([300, 5], [0], False)]:
    a = f32(shape)
    ax = tuple(axes)
    s64 = a.astype(np.float64).sum(axis=ax, keepdims=keep)
    add(f'sum {shape} {axes} {keep}', 'sum', [a], {'axes': axes, 'keepDims': keep}, s64.astype(np.float32), 'tol')
    if a.size < 5000:
        add(f'max {shape} {axes} {keep}', 'max', [a], {'axes': axes, 'keepDims': keep}, a.max(axis=ax, keepdims=keep), 'exact')
        add(f'min {shape} {axes} {keep}', 'min', [a], {'axes': axes, 'keepDims': keep}, a.min(axis=ax, keepdims=keep), 'exact')
a = f32([3, 5])
a[1, 3] = a[1, 1] = 5.0  # ties: the first index wins
add('argmax axis 1', 'argmax', [a], {'axis': 1}, a.argmax(axis=1).astype(np.int32), 'exact')
add('argmax axis 0', 'argmax', [a], {'axis': 0}, a.argmax(axis=0).astype(np.int32), 'exact')
add('argmin axis 1', 'argmin', [a], {'axis': 1}, a.argmin(axis=1).astype(np.int32), 'exact')
ui = rng.integers(0, 256, size=[4, 5]).astype(np.uint8)
add('sum uint8 -> int32', 'sum', [ui], {'axes': [1], 'keepDims': False}, ui.astype(np.int32).sum(axis=1).astype(np.int32), 'exact')

# ---------------------------------------------------------------- matmul
for sa, sb, ta, tb in [([3, 4], [4, 5], False, False), ([4, 3], [4, 5], True, False), ([3, 4], [5, 4], False, True),
                       ([4, 3], [5, 4], True, True), ([2, 3, 4], [4, 2], False, False), ([2, 1, 3, 4], [3, 4, 2], False, False),
                       ([1, 300], [300, 2], False, False), ([7, 9], [9, 6], False, False)]:
    a, b = f32(sa), f32(sb)
    A = np.swapaxes(a, -1, -2) if ta else a
    B = np.swapaxes(b, -1, -2) if tb else b
    add(f'matmul {sa} {sb} tA={ta} tB={tb}', 'matmul', [a, b], {'transposeA': ta, 'transposeB': tb},
        np.matmul(A.astype(np.float64), B.astype(np.float64)).astype(np.float32), 'tol')


# ---------------------------------------------------------------- convolution and pooling (float64 references)
def geom(size, k, s, padding):
    if padding == 'same':
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        return out, total // 2
    return (size - k) // s + 1, 0


def conv2d_ref(x, w, s, padding):
    N, H, W, C = x.shape
    kh, kw, _, F = w.shape
    oh, pt = geom(H, kh, s[0], padding)
    ow, pl = geom(W, kw, s[1], padding)
    y = np.zeros((N, oh, ow, F))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    h, v = i * s[0] + a - pt, j * s[1] + b - pl
                    if 0 <= h < H and 0 <= v < W:
                        y[:, i, j, :] += x[:, h, v, :].astype(np.float64) @ w[a, b].astype(np.float64)
    return y


def conv_grads_ref(x, w, dy, s, padding):
    N, H, W, C = x.shape
    kh, kw, _, F = w.shape
    oh, pt = geom(H, kh, s[0], padding)
    ow, pl = geom(W, kw, s[1], padding)
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    h, v = i * s[0] + a - pt, j * s[1] + b - pl
                    if 0 <= h < H and 0 <= v < W:
                        dx[:, h, v, :] += dy[:, i, j, :].astype(np.float64) @ w[a, b].astype(np.float64).T
                        dw[a, b] += x[:, h, v, :].astype(np.float64).T @ dy[:, i, j, :].astype(np.float64)
    return dx, dw


for xs, ws, s, p in [([2, 5, 5, 3], [3, 3, 3, 4], [1, 1], 'valid'), ([1, 6, 7, 2], [3, 3, 2, 3], [2, 2], 'same'),
                     ([2, 7, 6, 1], [2, 3, 1, 2], [2, 1], 'same'), ([1, 8, 8, 2], [3, 3, 2, 2], [3, 2], 'valid'),
                     ([1, 4, 4, 40], [3, 3, 40, 3], [1, 1], 'same')]:
    x, w = f32(xs), f32(ws)
    y = conv2d_ref(x, w, s, p)
    add(f'conv2d x{xs} w{ws} s{s} {p}', 'conv2d', [x, w], {'strides': s, 'padding': p}, y.astype(np.float32), 'tol')
    dy = f32(list(y.shape))
    dx, dw = conv_grads_ref(x, w, dy, s, p)
    add(f'conv2dGradInput x{xs} w{ws} s{s} {p}', 'conv2dGradInput', [dy, w], {'strides': s, 'padding': p, 'inputShape': xs}, dx.astype(np.float32), 'tol')
    add(f'conv2dGradFilter x{xs} w{ws} s{s} {p}', 'conv2dGradFilter', [x, dy], {'strides': s, 'padding': p, 'filterShape': ws}, dw.astype(np.float32), 'tol')


def pool_ref(x, k, s, padding, kind):
    N, H, W, C = x.shape
    oh, pt = geom(H, k[0], s[0], padding)
    ow, pl = geom(W, k[1], s[1], padding)
    y = np.zeros((N, oh, ow, C), np.float64)
    arg = {}
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                h0, w0 = i * s[0] - pt, j * s[1] - pl
                hs = range(max(h0, 0), min(h0 + k[0], H))
                ws_ = range(max(w0, 0), min(w0 + k[1], W))
                for c in range(C):
                    vals = [(x[n, h, v, c], (h, v)) for h in hs for v in ws_]
                    if kind == 'max':
                        best = max(v for v, _ in vals)
                        y[n, i, j, c] = best
                        arg[(n, i, j, c)] = next(p for v, p in vals if v == best)
                    else:
                        y[n, i, j, c] = sum(float(v) for v, _ in vals) / len(vals)
                        arg[(n, i, j, c)] = [p for _, p in vals]
    return y, arg


for xs, k, s, p in [([2, 6, 6, 3], [2, 2], [2, 2], 'valid'), ([1, 5, 7, 2], [3, 3], [2, 2], 'same'),
                    ([1, 5, 5, 1], [3, 2], [1, 2], 'valid'), ([2, 7, 7, 2], [2, 2], [2, 2], 'same')]:
    x = f32(xs)
    x[0, 0, 0, 0] = x[0, 0, 1, 0] = 3.0  # a tie inside one window: the first wins
    attrs = {'poolSize': k, 'strides': s, 'padding': p}
    y, arg = pool_ref(x, k, s, p, 'max')
    add(f'maxPool2d {xs} k{k} s{s} {p}', 'maxPool2d', [x], attrs, y.astype(np.float32), 'exact')
    dy = f32(list(y.shape))
    dx = np.zeros(x.shape, np.float64)
    for (n, i, j, c), (h, v) in arg.items():
        dx[n, h, v, c] += dy[n, i, j, c]
    add(f'maxPool2dGrad {xs} k{k} s{s} {p}', 'maxPool2dGrad', [dy, x], attrs, dx.astype(np.float32), 'tol')
    ya, args = pool_ref(x, k, s, p, 'avg')
    add(f'avgPool2d {xs} k{k} s{s} {p}', 'avgPool2d', [x], attrs, ya.astype(np.float32), 'tol')
    dx = np.zeros(x.shape, np.float64)
    for (n, i, j, c), ps in args.items():
        for (h, v) in ps:
            dx[n, h, v, c] += float(dy[n, i, j, c]) / len(ps)
    add(f'avgPool2dGrad {xs} k{k} s{s} {p}', 'avgPool2dGrad', [dy], {**attrs, 'inputShape': xs}, dx.astype(np.float32), 'tol')

# ---------------------------------------------------------------- data movement
a = f32([2, 3, 4])
add('transpose [2,0,1]', 'transpose', [a], {'perm': [2, 0, 1]}, np.transpose(a, [2, 0, 1]), 'exact')
add('transpose [1,0,2]', 'transpose', [a], {'perm': [1, 0, 2]}, np.transpose(a, [1, 0, 2]), 'exact')
add('slice', 'slice', [a], {'begin': [1, 0, 1], 'size': [1, 2, 3]}, a[1:2, 0:2, 1:4], 'exact')
add('pad', 'pad', [a], {'paddings': [[0, 1], [2, 0], [1, 1]], 'value': 0.5},
    np.pad(a, [[0, 1], [2, 0], [1, 1]], constant_values=np.float32(0.5)), 'exact')
b = f32([2, 1, 4])
c = f32([2, 2, 4])
cases.append({'name': 'concat axis 1', 'op': 'concat', 'inputs': [arr(a), arr(b), arr(c)], 'attrs': {'axis': 1},
              'expected': arr(np.concatenate([a, b, c], axis=1)), 'check': 'exact'})
idx = np.array([[2, 0], [1, 2]], np.int32)
add('gather axis 1', 'gather', [a, idx], {'axis': 1}, np.take(a, idx, axis=1), 'exact')
add('gather axis 0', 'gather', [a, np.array([1, 1, 0], np.int32)], {'axis': 0}, np.take(a, [1, 1, 0], axis=0), 'exact')
dy = f32([2, 2, 2, 4])
gg = np.zeros([2, 3, 4], np.float64)
for i in range(2):
    for j in range(2):
        gg[:, idx[i, j], :] += dy[:, i, j, :]
add('gatherGrad axis 1', 'gatherGrad', [dy, idx], {'axis': 1, 'dimSize': 3}, gg.astype(np.float32), 'tol')
lab = np.array([3, 0, 9, 1, 12, -1], np.int32)
oh = np.zeros([6, 10], np.float32)
for i, l in enumerate(lab):
    if 0 <= l < 10:
        oh[i, l] = 1
add('oneHot', 'oneHot', [lab], {'depth': 10, 'onValue': 1, 'offValue': 0, 'dtype': 'float32'}, oh, 'exact')
fc = np.array([1.7, -1.7, 0.0, -0.5, 300.6, 2.5e9, -3e9], np.float32)
add('cast float32->int32', 'cast', [fc], {'dtype': 'int32'}, np.array([1, -1, 0, 0, 300, 2147483647, -2147483648], np.int32), 'exact')
add('cast int32->float32', 'cast', [np.array([16777217, -3, 0], np.int32)], {'dtype': 'float32'}, np.array([16777216, -3, 0], np.float32), 'exact')
add('cast uint8->int32', 'cast', [ui], {'dtype': 'int32'}, ui.astype(np.int32), 'exact')
add('broadcastTo', 'broadcastTo', [b], {'shape': [3, 2, 2, 4]}, np.broadcast_to(b, [3, 2, 2, 4]), 'exact')
add('fill', 'fill', [], {'shape': [2, 3], 'dtype': 'float32', 'value': 0.1}, np.full([2, 3], np.float32(0.1)), 'exact')

# ---------------------------------------------------------------- reluGrad (relu's gradient)
# reluGrad(dy, x) = x > 0 ? dy : +0, bit for bit where(greater(x, 0), dy, 0): -0, +0 and
# subnormal x, dy of -0 passed through where x > 0.
rx = np.concatenate([f32([34], -3, 3), np.array([0.0, -0.0, 1e-45, -1e-45, 1e-30, 3e38], np.float32)])
rdy = np.concatenate([f32([36], -2, 2), np.array([-0.0, -0.0, 5.0, -5.0], np.float32)])
add('reluGrad', 'reluGrad', [rdy, rx], {}, np.where(rx > 0, rdy, np.float32(0)), 'exact')
rx2 = f32([2, 3, 5], -1, 1)
rdy2 = f32([2, 3, 5])
add('reluGrad rank 3', 'reluGrad', [rdy2, rx2], {}, np.where(rx2 > 0, rdy2, np.float32(0)), 'exact')

# ---------------------------------------------------------------- fused Adam updates
# NumPy float32 arithmetic rounds every step, as the engine does:
# adamMoment m + (g - m) * c; adamVelocity u + (g * g - u) * c; adamStep v - (m * alpha) / (sqrt(u) + eps).
am = np.concatenate([f32([30], -0.01, 0.01), np.array([0.0, -0.0, 1e-40, 1e-3], np.float32)])
ag = np.concatenate([f32([30], -1, 1), np.array([1e-20, -0.0, 2e-40, 5.0], np.float32)])
au = np.concatenate([f32([30], 0, 1e-3), np.array([0.0, 1e-42, 1e-38, 4.0], np.float32)])
av = f32([34], -0.5, 0.5)
c1, c2, alpha, eps = np.float32(0.1), np.float32(0.001), np.float32(0.000316), np.float32(1e-7)
add('adamMoment', 'adamMoment', [am, ag], {'c': float(c1)}, am + (ag - am) * c1, 'exact')
add('adamVelocity', 'adamVelocity', [au, ag], {'c': float(c2)}, au + (ag * ag - au) * c2, 'exact')
add('adamStep', 'adamStep', [av, am, au], {'alpha': float(alpha), 'eps': float(eps)}, av - (am * alpha) / (np.sqrt(au) + eps), 'exact')

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ops.json')
with open(out, 'w') as fp:
    json.dump({'source': 'test/golden/gen/ops_golden.py (NumPy ' + np.__version__ + ')', 'cases': cases}, fp, separators=(',', ':'))
print(f'wrote {len(cases)} cases to {out}')
