// requires: lib/index, lib/float-bits, const/sum-chunk, const/depthwise-modes
// depthwise-conv2d: depthwiseConv2d (MODE 0), its input gradient (MODE 1) and its filter gradient (MODE 2),
// NHWC, filter [kH, kW, C, M], one invocation per output and k-group, reading the operands in place
// (ih = oh*sH + kh*dH - padTop, iw = ow*sW + kw*dW - padLeft; CM = C*M):
//   MODE 0: y[n,oh,ow,c*M+m] = S over k = kh*kW + kw of x[n,ih,iw,c] * w[kh,kw,c,m]
//   MODE 1: dx[n,ih,iw,c]    = S over k = (kh*kW + kw)*M + m of dy[n,oh,ow,c*M+m] * w[kh,kw,c,m]
//           (oh = (ih + padTop - kh*dH) / sH and ow likewise exact and in range)
//   MODE 2: dw[kh,kw,c,m]    = S over p = (n*outH + oh)*outW + ow of x[n,ih,iw,c] * dy[n,oh,ow,c*M+m]
// A term outside the input (padding) or without a matching output enters as +0 times the other
// operand, as on the CPU (src/kernels/cpu/depthwise-conv2d.ts).
// Reduction order (src/core/reduction-order.ts): invocation (g, o) sums the terms k in
// [g*G, min(K, (g+1)*G)) in the streaming tree form with three levels: level 1 = +0 plus f32(a * b)
// for 256 consecutive k, level 2 = +0 plus 256 level-1 sums, level 3 = +0 plus the level-2 sums,
// each step rounded to f32 (products through `rounded`: EXACT_GUARD pipelines); at the end the
// partial level 1 is added to level 2 and level 2 to level 3 (+0 + s = s: a sum is never -0). For
// G <= 2^24 terms that is S itself; with G = 256 (the host's choice for long filter-gradient
// reductions, for parallelism) each group writes one level-1 chunk sum to a partial buffer at
// g*partStride, and the host finishes the tree with reduce-sum passes.
// Bindings: 0 a (read: x, or dy for MODE 1), 1 b (read: w, or dy for MODE 2), 2 out (read_write),
// 3 params. Dispatch: ceil(outputs * groups / WG) workgroups, x*y*z grid; invocation i takes
// output i % outputs of group i / outputs.

override WG: u32 = 256u;
override MODE: u32 = 0u;

struct Params {
  inH: u32,
  inW: u32,
  C: u32,
  M: u32,
  outH: u32,
  outW: u32,
  kH: u32,
  kW: u32,
  sH: u32,
  sW: u32,
  padTop: u32,
  padLeft: u32,
  dH: u32,
  dW: u32,
  outputs: u32,
  groups: u32,
  K: u32,
  G: u32,
  partStride: u32,
  pad0: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<private> acc1: f32 = 0.0;
var<private> acc2: f32 = 0.0;
var<private> acc3: f32 = 0.0;
var<private> c1: u32 = 0u;
var<private> c2: u32 = 0u;

// Adds one product to the streaming tree.
fn add_term(v: f32) {
  acc1 = acc1 + rounded(v);
  c1 = c1 + 1u;
  if (c1 == SUM_CHUNK) {
    acc2 = acc2 + acc1;
    acc1 = 0.0;
    c1 = 0u;
    c2 = c2 + 1u;
    if (c2 == SUM_CHUNK) {
      acc3 = acc3 + acc2;
      acc2 = 0.0;
      c2 = 0u;
    }
  }
}

// Whether input row/column `i` (signed) lies inside [0, size).
fn inside(i: i32, size: u32) -> bool {
  return i >= 0i && u32(i) < size;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let p = params;
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= p.outputs * p.groups) {
    return;
  }
  let g = i / p.outputs;
  let o = i % p.outputs;
  let k0 = g * p.G;
  let k1 = min(p.K, k0 + p.G);
  let CM = p.C * p.M;
  if (MODE == DEPTHWISE_FORWARD) {
    let ch = o % CM;
    let c = ch / p.M;
    let pos = o / CM;
    let ow = pos % p.outW;
    let oh = (pos / p.outW) % p.outH;
    let n = (pos / p.outW) / p.outH;
    var kw = k0 % p.kW;
    var kh = k0 / p.kW;
    for (var k = k0; k < k1; k = k + 1u) {
      let ih = i32(oh * p.sH + kh * p.dH) - i32(p.padTop);
      let iw = i32(ow * p.sW + kw * p.dW) - i32(p.padLeft);
      var v = 0.0;
      if (inside(ih, p.inH) && inside(iw, p.inW)) {
        v = a[((n * p.inH + u32(ih)) * p.inW + u32(iw)) * p.C + c];
      }
      add_term(v * b[k * CM + ch]);
      kw = kw + 1u;
      if (kw == p.kW) {
        kw = 0u;
        kh = kh + 1u;
      }
    }
  } else if (MODE == DEPTHWISE_GRAD_INPUT) {
    let c = o % p.C;
    let pos = o / p.C;
    let iw = pos % p.inW;
    let ih = (pos / p.inW) % p.inH;
    let n = (pos / p.inW) / p.inH;
    var m = k0 % p.M;
    let t0 = k0 / p.M;
    var kw = t0 % p.kW;
    var kh = t0 / p.kW;
    var base = 0u;
    var ok = false;
    var fresh = true;
    for (var k = k0; k < k1; k = k + 1u) {
      if (fresh) {
        // the tap's dy position, if any (integer division only at tap changes)
        let th = i32(ih + p.padTop) - i32(kh * p.dH);
        let tw = i32(iw + p.padLeft) - i32(kw * p.dW);
        ok = false;
        if (th >= 0i && tw >= 0i) {
          let oh = u32(th) / p.sH;
          let ow = u32(tw) / p.sW;
          ok = oh * p.sH == u32(th) && ow * p.sW == u32(tw) && oh < p.outH && ow < p.outW;
          base = ((n * p.outH + oh) * p.outW + ow) * CM + c * p.M;
        }
        fresh = false;
      }
      var v = 0.0;
      if (ok) {
        v = a[base + m];
      }
      add_term(v * b[(kh * p.kW + kw) * CM + c * p.M + m]);
      m = m + 1u;
      if (m == p.M) {
        m = 0u;
        fresh = true;
        kw = kw + 1u;
        if (kw == p.kW) {
          kw = 0u;
          kh = kh + 1u;
        }
      }
    }
  } else {
    let ch = o % CM;
    let c = ch / p.M;
    let t = o / CM;
    let kw = t % p.kW;
    let kh = t / p.kW;
    var ow = k0 % p.outW;
    var oh = (k0 / p.outW) % p.outH;
    var n = (k0 / p.outW) / p.outH;
    for (var k = k0; k < k1; k = k + 1u) {
      let ih = i32(oh * p.sH + kh * p.dH) - i32(p.padTop);
      let iw = i32(ow * p.sW + kw * p.dW) - i32(p.padLeft);
      var v = 0.0;
      if (inside(ih, p.inH) && inside(iw, p.inW)) {
        v = a[((n * p.inH + u32(ih)) * p.inW + u32(iw)) * p.C + c];
      }
      add_term(v * b[k * CM + ch]);
      ow = ow + 1u;
      if (ow == p.outW) {
        ow = 0u;
        oh = oh + 1u;
        if (oh == p.outH) {
          oh = 0u;
          n = n + 1u;
        }
      }
    }
  }
  acc2 = acc2 + acc1;
  acc3 = acc3 + acc2;
  out[g * p.partStride + o] = acc3;
}
