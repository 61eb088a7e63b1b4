/*
 * Shared declarations of ditto's optional native addon (native/build/ditto_native.node, built by
 * scripts/build-native.mjs from addon.c, gemm.c, philox.c, pool.c and colsum.c): argument parsing and errors for the
 * N-API entry points, and each kernel file's registration. src/kernels/cpu/native-addon.ts loads it.
 */
#ifndef DITTO_NATIVE_ADDON_H
#define DITTO_NATIVE_ADDON_H
#include <node_api.h>
#include <stdint.h>

#define DN_MAX_ARGS 16

/* Exactly `want` arguments into argv; else throws a TypeError naming fn and returns 0. */
int dn_args(napi_env env, napi_callback_info info, const char *fn, size_t want, napi_value *argv);
/* argv[i] as an int32 into *v; else throws a TypeError naming fn and returns 0. */
int dn_int(napi_env env, const char *fn, napi_value arg, int64_t *v);
/* A Float32Array's data and length; else throws a TypeError naming fn and returns 0. */
int dn_f32(napi_env env, const char *fn, napi_value arg, float **data, int64_t *length);
/* Throws RangeError("ditto_native.<fn>: <why>"); returns NULL for the caller to return. */
napi_value dn_fail(napi_env env, const char *fn, const char *why);
/* exports[name] = a function calling cb. */
void dn_export(napi_env env, napi_value exports, const char *name, napi_callback cb);

void dn_register_gemm(napi_env env, napi_value exports);
void dn_register_philox(napi_env env, napi_value exports);
void dn_register_pool(napi_env env, napi_value exports);
void dn_register_colsum(napi_env env, napi_value exports);
#endif
