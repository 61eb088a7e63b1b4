/*
 * ditto's optional native addon for the CPU backend (x86-64 with AVX2): module registration. The argument
 * and error helpers of its entry points are args.c (declared in args.h), the shared vector helpers vec.h; the kernels are gemm.c (the GEMM
 * tiles), philox.c (dropout's Philox stream), pool.c (2 x 2 max pooling and its gradient; its window scan in
 * maxscan.h), colsum.c (the sum op's column sums), conv.c (conv2d and input-gradient blocks with bias, relu and
 * pooling, from the tensors in place) and convfilter.c (filter-gradient blocks, likewise); each gives the bits of its WebAssembly twin, and src/kernels/cpu/native-addon.ts
 * checks that on every thread before using it. Exports isa ("avx2",
 * or "none" on a CPU without AVX2, with no kernels) and the kernels' functions.
 */
#include <node_api.h>

/* Each kernel file's registration of its entry points (defined there). */
void dn_register_gemm(napi_env env, napi_value exports);
void dn_register_philox(napi_env env, napi_value exports);
void dn_register_pool(napi_env env, napi_value exports);
void dn_register_colsum(napi_env env, napi_value exports);
void dn_register_conv(napi_env env, napi_value exports);
void dn_register_convfilter(napi_env env, napi_value exports);

NAPI_MODULE_INIT() {
  napi_value isa;
  __builtin_cpu_init();
  int ok = __builtin_cpu_supports("avx2");
  napi_create_string_utf8(env, ok ? "avx2" : "none", NAPI_AUTO_LENGTH, &isa);
  napi_set_named_property(env, exports, "isa", isa);
  if (!ok) return exports;
  dn_register_gemm(env, exports);
  dn_register_philox(env, exports);
  dn_register_pool(env, exports);
  dn_register_colsum(env, exports);
  dn_register_conv(env, exports);
  dn_register_convfilter(env, exports);
  return exports;
}
