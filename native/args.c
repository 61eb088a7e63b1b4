/*
 * The argument and error helpers of the native addon's entry points (declared in args.h): exactly n
 * arguments, int32 values, Float32Arrays and Int32Arrays (their data in place, SharedArrayBuffer-backed ones included),
 * and TypeError / RangeError messages "ditto_native.<fn>: <what>". Every kernel file (gemm.c, philox.c,
 * pool.c, colsum.c, conv.c, convfilter.c) uses them; addon.c registers the kernels.
 */
#include "args.h"

/* "ditto_native.<fn>: <what>" into msg (at most size - 1 characters). */
static void compose(char *msg, int size, const char *fn, const char *what) {
  const char *parts[4] = {"ditto_native.", fn, ": ", what};
  int i = 0;
  for (int p = 0; p < 4; p++)
    for (const char *s = parts[p]; *s && i < size - 1; s++) msg[i++] = *s;
  msg[i] = 0;
}

static void throw_type(napi_env env, const char *fn, const char *what) {
  char msg[200];
  compose(msg, sizeof msg, fn, what);
  napi_throw_type_error(env, 0, msg);
}

int dn_args(napi_env env, napi_callback_info info, const char *fn, size_t want, napi_value *argv) {
  size_t argc = want;
  if (want > DN_MAX_ARGS || napi_get_cb_info(env, info, &argc, argv, 0, 0) != napi_ok || argc != want) {
    throw_type(env, fn, "wrong number of arguments");
    return 0;
  }
  return 1;
}

int dn_int(napi_env env, const char *fn, napi_value arg, int64_t *v) {
  int32_t x;
  if (napi_get_value_int32(env, arg, &x) != napi_ok) {
    throw_type(env, fn, "arguments must be numbers");
    return 0;
  }
  *v = x;
  return 1;
}

int dn_ints(napi_env env, const char *fn, const napi_value *argv, size_t n, int64_t *v) {
  for (size_t i = 0; i < n; i++)
    if (!dn_int(env, fn, argv[i], &v[i])) return 0;
  return 1;
}

/* A typed array of `want` type: its data and length; else throws a TypeError "expected a <name>" and returns 0. */
static int typed(napi_env env, const char *fn, napi_value arg, napi_typedarray_type want, const char *name, void **data, int64_t *length) {
  bool is = false;
  napi_typedarray_type type;
  size_t len = 0, offset = 0;
  void *p = 0;
  napi_value buffer;
  if (napi_is_typedarray(env, arg, &is) != napi_ok || !is || napi_get_typedarray_info(env, arg, &type, &len, &p, &buffer, &offset) != napi_ok ||
      type != want) {
    throw_type(env, fn, name);
    return 0;
  }
  *data = p;
  *length = (int64_t)len;
  return 1;
}

int dn_f32(napi_env env, const char *fn, napi_value arg, float **data, int64_t *length) {
  return typed(env, fn, arg, napi_float32_array, "expected a Float32Array", (void **)data, length);
}

int dn_i32(napi_env env, const char *fn, napi_value arg, int32_t **data, int64_t *length) {
  return typed(env, fn, arg, napi_int32_array, "expected an Int32Array", (void **)data, length);
}

napi_value dn_fail(napi_env env, const char *fn, const char *why) {
  char msg[200];
  compose(msg, sizeof msg, fn, why);
  napi_throw_range_error(env, 0, msg);
  return 0;
}

void dn_export(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, 0, &f);
  napi_set_named_property(env, exports, name, f);
}
