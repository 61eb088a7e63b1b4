/**
 * Python's number formatting as Keras callbacks use it: `repr(float)` (CSVLogger's cells, Keras's messages) and
 * `str.format` path templates (ModelCheckpoint's `weights.{epoch:02d}-{val_loss:.2f}.safetensors`) with the
 * format-spec subset Keras users write: `[0][width][.precision][d|f|e]`. Fixed and exponent forms round the exact
 * binary value half to even, as Python does (JavaScript's toFixed rounds ties up). The examples print with pyRepr too.
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError } from '../../core/internal.ts';

/** repr(x) of a Python float holding the same double as `x` (shortest round-trip digits). */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e'); // shortest round-trip digits
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac || '0'}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** |x| = mant * 2^exp exactly (x finite, non-zero). */
function decompose(x: number): { mant: bigint; exp: number } {
  const f = new Float64Array([Math.abs(x)]);
  const u = new BigUint64Array(f.buffer)[0];
  const e = Number((u >> 52n) & 0x7ffn);
  const frac = u & ((1n << 52n) - 1n);
  return e === 0 ? { mant: frac, exp: -1074 } : { mant: frac | (1n << 52n), exp: e - 1075 };
}

/** round(num / den), ties to even. */
function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = 2n * (num % den);
  return r2 > den || (r2 === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** |x| / 10^k rounded half to even, exactly. */
function scaledRound(x: number, k: number): bigint {
  const { mant, exp } = decompose(x);
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (k >= 0) den *= 10n ** BigInt(k);
  else num *= 10n ** BigInt(-k);
  return roundDiv(num, den);
}

/** Python `format(x, '.{p}f')` without sign. */
function fixedDigits(x: number, p: number): string {
  const q = x === 0 ? '0' : scaledRound(x, -p).toString().padStart(p + 1, '0');
  return p === 0 ? q : `${q.slice(0, q.length - p)}.${q.slice(q.length - p)}`;
}

/** Python `format(x, '.{p}e')` without sign. */
function expDigits(x: number, p: number): string {
  let e10 = 0;
  let q = 0n;
  if (x !== 0) {
    e10 = Math.floor(Math.log10(Math.abs(x)));
    q = scaledRound(x, e10 - p);
    const lim = 10n ** BigInt(p + 1);
    if (q >= lim) q = scaledRound(x, ++e10 - p);
    else if (q < lim / 10n) q = scaledRound(x, --e10 - p);
  }
  const d = q.toString().padStart(p + 1, '0');
  const m = p === 0 ? d : `${d[0]}.${d.slice(1)}`;
  return `${m}e${e10 < 0 ? '-' : '+'}${String(Math.abs(e10)).padStart(2, '0')}`;
}

/** A value for a template: integers (the epoch, the batch) format as Python ints, the rest as Python floats. */
export type TemplateValue = { int: number } | number;

/**
 * Python `format(value, spec)` for the subset `[0][width][.precision][d|f|e]`: no type gives str() (an int's
 * digits, a float's repr), 'd' only for ints, 'f' and 'e' for both (default precision 6).
 * @throws {@link ArgumentError} for another spec, or 'd' on a float (Python's ValueError).
 */
export function pyFormat(value: TemplateValue, spec: string, who = 'format'): string {
  const m = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec);
  const isInt = typeof value !== 'number';
  const x = isInt ? value.int : value;
  if (!m || (m[3] !== undefined && (m[4] === '' || m[4] === 'd'))) {
    throw new ArgumentError(`${who}: expected a format spec of the form [0][width][.precision][d|f|e] (e.g. 02d, .2f, .3e). Received: '${spec}'`);
  }
  const [, zero, width, prec, type] = m;
  if (type === 'd' && !isInt) throw new ArgumentError(`${who}: Unknown format code 'd' for object of type 'float' (Python's error; use .0f for a float). Received: ${pyRepr(x)} with '${spec}'`);
  let body: string;
  const neg = x < 0 || Object.is(x, -0);
  if (type === 'f' || type === 'e') {
    const p = prec === undefined ? 6 : Number(prec);
    body = !Number.isFinite(x) ? (Number.isNaN(x) ? 'nan' : 'inf') : type === 'f' ? fixedDigits(x, p) : expDigits(x, p);
  } else {
    body = isInt ? String(Math.abs(x)) : pyRepr(Math.abs(x));
  }
  const sign = neg && !Number.isNaN(x) && !(isInt && x === 0) ? '-' : '';
  const w = width ? Number(width) : 0;
  if (zero && Number.isFinite(x)) return sign + body.padStart(w - sign.length, '0');
  return (sign + body).padStart(w, ' ');
}

/**
 * Python `template.format(**values)` for `{name}` and `{name:spec}` fields (spec as in {@link pyFormat}) and the
 * `{{`/`}}` escapes.
 * @throws {@link ArgumentError} for a name not in `values` (Python's KeyError) or an unsupported field.
 */
export function pyFormatTemplate(template: string, values: Record<string, TemplateValue>, who = 'format'): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i++;
      continue;
    }
    if (ch === '}') throw new ArgumentError(`${who}: Single '}' encountered in format string. Received: "${template}"`);
    if (ch !== '{') {
      out += ch;
      continue;
    }
    const end = template.indexOf('}', i);
    if (end < 0) throw new ArgumentError(`${who}: Single '{' encountered in format string. Received: "${template}"`);
    const field = template.slice(i + 1, end);
    const colon = field.indexOf(':');
    const name = colon < 0 ? field : field.slice(0, colon);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ArgumentError(`${who}: expected fields like {epoch} or {val_loss:.2f}. Received: {${field}} in "${template}"`);
    if (!(name in values)) throw new ArgumentError(`${who}: Failed to format this callback filepath: "${template}". Reason: '${name}' is not among ${Object.keys(values).join(', ')}`);
    out += pyFormat(values[name], colon < 0 ? '' : field.slice(colon + 1), who);
    i = end;
  }
  return out;
}
