// requires: lib/index
// conv2d-grad-input-patches: the patch matrix of conv2dGradInput (src/kernels/cpu/conv2d.ts
// `rows`), NHWC, for images [nBegin, nBegin + nCount):
//   out[p, k] = dy[n, oh, ow, f]  where oh*sH = ih + padTop - kh and ow*sW = iw + padLeft - kw
//               are exact multiples in range, else +0,
//   p = ((n - nBegin)*H + ih)*W + iw,  k = (kh*kW + kw)*F + f.
// The input gradient is then out @ wt^T with wt[c, k] = w[kh, kw, c, f]; +0 terms keep their
// index in the summation tree exactly as the CPU's zero-filled rows do.
// Bindings: 0 dy (read, words), 1 out (read_write, words), 2 params.
// Dispatch: ceil(n / WG) workgroups, x*y*z grid; one element each. Reduction order: none.

override WG: u32 = 256u;

struct Params {
  n: u32,
  H: u32,
  W: u32,
  F: u32,
  outH: u32,
  outW: u32,
  kH: u32,
  kW: u32,
  sH: u32,
  sW: u32,
  padTop: u32,
  padLeft: u32,
  nBegin: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<storage, read> dy: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= params.n) {
    return;
  }
  let K = params.kH * params.kW * params.F;
  let k = i % K;
  let p = i / K;
  let f = k % params.F;
  let t = k / params.F;
  let kw = t % params.kW;
  let kh = t / params.kW;
  let iw = p % params.W;
  let q = p / params.W;
  let ih = q % params.H;
  let n = q / params.H + params.nBegin;
  let th = i32(ih + params.padTop) - i32(kh);
  let tw = i32(iw + params.padLeft) - i32(kw);
  var v = 0u;
  if (th >= 0i && tw >= 0i) {
    let uh = u32(th);
    let uw = u32(tw);
    let oh = uh / params.sH;
    let ow = uw / params.sW;
    if (oh * params.sH == uh && ow * params.sW == uw && oh < params.outH && ow < params.outW) {
      v = dy[((n * params.outH + oh) * params.outW + ow) * params.F + f];
    }
  }
  out[i] = v;
}
