// requires: lib/float-bits, const/sum-chunk
// conv2d: implicit-GEMM convolution (NHWC, filter [kH, kW, C, F]) that reads its operands in place
// (no patch matrix). Two modes (override GRAD_INPUT), identical inner loop (with dilations dH, dW the
// taps read kh*dH, kw*dW in place of kh, kw below):
//   forward:    y[n,oh,ow,f]  = S over k = (kh*kW + kw)*C + c of x[n, oh*sH+kh-padTop, ow*sW+kw-padLeft, c] * w[kh,kw,c,f]
//               positions (n, oh, ow) over [N, outH, outW]; src = x [N, inH, inW, C]; CR = C, CO = F.
//   GRAD_INPUT: dx[n,ih,iw,c] = S over k = (kh*kW + kw)*F + f of dy[n,oh,ow,f] * w[kh,kw,c,f],
//               oh = (ih + padTop - kh) / sH and ow likewise exact and in range;
//               positions over [N, inH, inW]; src = dy [N, outH, outW, F]; CR = F, CO = C.
// A term outside the input (padding) or without a matching output enters as +0 * w, as on the
// CPU (src/kernels/cpu/conv2d.ts): for finite values the bits of skipping it.
// Reduction order (src/core/reduction-order.ts): every output is summed over k in [k0, k1) in the
// two-level streaming form: chunk = +0 plus f32(src * w) for 256 consecutive k in order, total =
// +0 plus the chunk sums in order, each step rounded to f32 (products through `rounded4`, which
// EXACT_GUARD pipelines turn into a contraction barrier). With one k-group (G = K <= 65536) that
// is S itself; with mg groups of G = 65536 terms it is a level of the tree, written to a partial
// buffer at g*partStride, which the host finishes with reduce-sum passes.
// Taps: k runs tap by tap (kh, kw), CR terms each; with rowTaps (forward, no horizontal padding, dW = 1) a
// whole kernel row is one run of kW*C terms contiguous in x (same k order, fewer tap changes).
// Tiling: each invocation computes TP = 8 consecutive output positions x 8 output channels
// (2 vec4 accumulators per position). The workgroup's 8-channel slice of the weights is staged in
// workgroup memory as vec4 slabs of KS = 256 k rows (8 KB), padded with +0 beyond CO; src is read
// directly (one word per position and k). Positions beyond P and channels beyond CO are computed
// on clamped indices and never stored.
// Bindings: 0 src (read, f32), 1 wk (read, f32: the weights as a [K, CO] matrix, row k = the
// reduction index: w itself forward, w transposed to [kH, kW, F, C] for GRAD_INPUT, by the host),
// 2 out (read_write, f32), 3 params.
// Dispatch: (ceil(ceil(P / TP) / WG) or fewer with pBase, ceil(CO / 8), mg) workgroups of WG
// invocations; workgroup y is the channel tile, z the k-group.

override GRAD_INPUT: bool = false;
override WG: u32 = 64u;
const TP: u32 = 8u;
const KS: u32 = 256u;

struct Params {
  inH: u32,
  inW: u32,
  C: u32,
  F: u32,
  outH: u32,
  outW: u32,
  kH: u32,
  kW: u32,
  sH: u32,
  sW: u32,
  padTop: u32,
  padLeft: u32,
  // output positions (N*outH*outW forward, N*inH*inW for GRAD_INPUT) and the first one of this dispatch
  P: u32,
  pBase: u32,
  // k-group length (K or 65536), total K, output element offset, partial stride (0 when mg = 1)
  G: u32,
  K: u32,
  cOff: u32,
  partStride: u32,
  // forward only: 1 when every kernel column of every position lies inside the input (no left or
  // right padding), so one kernel row's kW*C terms are contiguous in x and run as one tap
  rowTaps: u32,
  pad1: u32,
  // dilations: tap (kh, kw) reads row oh*sH + kh*dH - padTop, column likewise (1: plain convolution)
  dH: u32,
  dW: u32,
  pad2: u32,
  pad3: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> wk: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> ws: array<vec4<f32>, 512>;

// Offset of src for position (a, b) of image n at kernel tap (kh, kw), or NO_TERM when the term
// has no source element (padding, or no matching output for GRAD_INPUT).
const NO_TERM: u32 = 0xffffffffu;

fn tap_offset(n: u32, a: u32, b: u32, kh: u32, kw: u32) -> u32 {
  let p = params;
  if (!GRAD_INPUT) {
    let ih = a * p.sH + kh * p.dH - p.padTop; // u32 wrap-around: "before the image" is large
    let iw = b * p.sW + kw * p.dW - p.padLeft;
    if (ih < p.inH && iw < p.inW) {
      return ((n * p.inH + ih) * p.inW + iw) * p.C;
    }
    return NO_TERM;
  }
  let th = i32(a + p.padTop) - i32(kh * p.dH);
  let tw = i32(b + p.padLeft) - i32(kw * p.dW);
  if (th < 0i || tw < 0i) {
    return NO_TERM;
  }
  var oh = u32(th);
  var ow = u32(tw);
  if (p.sH != 1u || p.sW != 1u) {
    // (integer division is slow on lavapipe: skipped for stride 1)
    oh = oh / p.sH;
    ow = ow / p.sW;
    if (oh * p.sH != u32(th) || ow * p.sW != u32(tw)) {
      return NO_TERM;
    }
  }
  if (oh < p.outH && ow < p.outW) {
    return ((n * p.outH + oh) * p.outW + ow) * p.F;
  }
  return NO_TERM;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = params;
  var CR = p.C;
  var CO = p.F;
  var kW = p.kW;
  if (!GRAD_INPUT && p.rowTaps == 1u) {
    // taps (kh, 0) of kW*C terms: x offset (pixel of column kw = 0) + kw*C + c
    CR = p.kW * p.C;
    kW = 1u;
  }
  var posH = p.outH;
  var posW = p.outW;
  if (GRAD_INPUT) {
    CR = p.F;
    CO = p.C;
    posH = p.inH;
    posW = p.inW;
  }
  let co0 = wid.y * 8u;
  let g = wid.z;
  let k0 = g * p.G;
  let k1 = min(p.K, k0 + p.G);
  let q0 = p.pBase + (wid.x * WG + lid) * TP;

  // Positions of this invocation: image, row, column (from q0 stepping, clamped to the last
  // position: integer division is slow on lavapipe, so only q0 is divided).
  var pn: array<u32, TP>;
  var pa: array<u32, TP>;
  var pb: array<u32, TP>;
  let qc = min(q0, p.P - 1u);
  var b = qc % posW;
  var a = (qc / posW) % posH;
  var n = (qc / posW) / posH;
  for (var j = 0u; j < TP; j = j + 1u) {
    pn[j] = n;
    pa[j] = a;
    pb[j] = b;
    if (q0 + j + 1u < p.P) {
      b = b + 1u;
      if (b == posW) {
        b = 0u;
        a = a + 1u;
        if (a == posH) {
          a = 0u;
          n = n + 1u;
        }
      }
    }
  }
  var acc: array<vec4<f32>, 16>;
  var tot: array<vec4<f32>, 16>;
  for (var i = 0u; i < 16u; i = i + 1u) {
    acc[i] = vec4<f32>(0.0);
    tot[i] = vec4<f32>(0.0);
  }
  // k = (kh*kW + kw)*CR + r. Each position's source offset at the current tap; a position
  // without a term reads word 0 and uses +0 instead.
  var r = k0 % CR;
  var kw = (k0 / CR) % kW;
  var kh = (k0 / CR) / kW;
  var off: array<u32, TP>;
  var has: array<bool, TP>;
  for (var j = 0u; j < TP; j = j + 1u) {
    let o = tap_offset(pn[j], pa[j], pb[j], kh, kw);
    has[j] = o != NO_TERM;
    off[j] = select(0u, o, has[j]);
  }
  var kc = 0u;
  for (var s0 = k0; s0 < k1; s0 = s0 + KS) {
    let s1 = min(k1, s0 + KS);
    // Stage w rows [s0, s1) x channels [co0, co0 + 8) as ws[(k - s0)*2 + h] = channels 4h..4h+3.
    workgroupBarrier();
    for (var i = lid; i < (s1 - s0) * 2u; i = i + WG) {
      let k = s0 + i / 2u;
      let cb = co0 + (i % 2u) * 4u;
      var v = vec4<f32>(0.0);
      for (var h = 0u; h < 4u; h = h + 1u) {
        if (cb + h < CO) {
          v[h] = wk[k * CO + cb + h];
        }
      }
      ws[i] = v;
    }
    workgroupBarrier();
    // Runs of k within one tap, one summation chunk and the slab: the innermost loop has only
    // loads and multiply-adds; chunk ends and tap changes are handled between runs.
    var k = s0;
    loop {
      if (k >= s1) {
        break;
      }
      let run = min(min(CR - r, SUM_CHUNK - kc), s1 - k);
      let wb = (k - s0) * 2u;
      for (var t = 0u; t < run; t = t + 1u) {
        let w0 = ws[wb + 2u * t];
        let w1 = ws[wb + 2u * t + 1u];
        for (var j = 0u; j < TP; j = j + 1u) {
          var v = 0.0;
          if (has[j]) {
            v = src[off[j] + r + t];
          }
          acc[2u * j] = acc[2u * j] + rounded4(v * w0);
          acc[2u * j + 1u] = acc[2u * j + 1u] + rounded4(v * w1);
        }
      }
      k = k + run;
      r = r + run;
      kc = kc + run;
      if (kc == SUM_CHUNK) {
        kc = 0u;
        for (var i = 0u; i < 16u; i = i + 1u) {
          tot[i] = tot[i] + acc[i];
          acc[i] = vec4<f32>(0.0);
        }
      }
      if (r == CR) {
        r = 0u;
        kw = kw + 1u;
        if (kw == kW) {
          kw = 0u;
          kh = kh + 1u;
        }
        for (var j = 0u; j < TP; j = j + 1u) {
          let o = tap_offset(pn[j], pa[j], pb[j], kh, kw);
          has[j] = o != NO_TERM;
          off[j] = select(0u, o, has[j]);
        }
      }
    }
  }
  // total + the last (partial) chunk; a chunk sum is never -0, so +0 + s = s.
  let base = p.cOff + g * p.partStride;
  for (var j = 0u; j < TP; j = j + 1u) {
    let q = q0 + j;
    if (q < p.P) {
      let v0 = tot[2u * j] + acc[2u * j];
      let v1 = tot[2u * j + 1u] + acc[2u * j + 1u];
      for (var h = 0u; h < 4u; h = h + 1u) {
        if (co0 + h < CO) {
          out[base + q * CO + co0 + h] = v0[h];
        }
        if (co0 + 4u + h < CO) {
          out[base + q * CO + co0 + 4u + h] = v1[h];
        }
      }
    }
  }
}
