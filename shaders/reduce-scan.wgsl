// requires: lib/index, lib/float-bits, const/dtypes, const/scan-ops
// reduce-scan: max, min, argmax, argmin over the middle axis of x viewed as [outer, R, inner]
// (src/kernels/cpu/reduce.ts `scan`). Invocation (o, j), j fastest, scans r = 0..R-1 in order
// keeping the first best value: a candidate replaces the best when it is strictly greater
// (max) / smaller (min), or when it is NaN and the best is not (NaN wins; NaN is tested from
// the bits). Writes the value (op 0 max, 1 min) or the int32 index (op 2 argmax, 3 argmin).
// params.dtype: 0 float32, 1 int32, 2 uint8 (u32 words).
// Bindings: 0 x (read), 1 out (read_write), 2 params.
// Dispatch: ceil(outer * inner / WG) workgroups, x*y*z grid. Reduction order: sequential scan.

override WG: u32 = 256u;

struct Params {
  n: u32,
  R: u32,
  inner: u32,
  op: u32,
  dtype: u32,
}

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

// Whether candidate c beats best b.
fn better(c: u32, b: u32, wantMax: bool) -> bool {
  if (params.dtype == DTYPE_FLOAT32) {
    if (is_nan_bits(b)) {
      return false;
    }
    if (is_nan_bits(c)) {
      return true;
    }
    // on the bits (lib/float-bits f32_lt): immune to a driver's subnormal flushing
    return select(f32_lt(c, b), f32_lt(b, c), wantMax);
  }
  if (params.dtype == DTYPE_INT32) {
    let ci = bitcast<i32>(c);
    let bi = bitcast<i32>(b);
    return select((ci < bi), (ci > bi), wantMax);
  }
  return select((c < b), (c > b), wantMax);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lidx: u32) {
  let i = invocation_index(wid, nwg, lidx, WG);
  if (i >= params.n) {
    return;
  }
  let inner = params.inner;
  let j = i % inner;
  let o = i / inner;
  let base = o * params.R * inner + j;
  let wantMax = params.op == SCAN_MAX || params.op == SCAN_ARGMAX;
  var best = x[base];
  var at = 0u;
  var p = base;
  for (var r = 1u; r < params.R; r = r + 1u) {
    p = p + inner;
    let v = x[p];
    if (better(v, best, wantMax)) {
      best = v;
      at = r;
    }
  }
  out[i] = select(best, at, params.op == SCAN_ARGMAX || params.op == SCAN_ARGMIN);
}
