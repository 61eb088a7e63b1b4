/**
 * TextVectorization (Keras 3, output_mode 'int'): strings -> int32 token ids. Each document is
 * standardized, split into tokens and looked up in a vocabulary whose index 0 is the padding token
 * '' and 1 the out-of-vocabulary token '[UNK]'. `adapt` builds the vocabulary from data: tokens
 * sorted by count, high to low, ties broken by the tokens themselves, high to low, comparing their
 * UTF-8 bytes (Keras: np.lexsort((tokens, counts))[::-1] on the byte strings), then cut to
 * maxTokens - 2; so the vocabulary is a pure function of the multiset of tokens (not of their order).
 * Standardization follows Keras's TensorFlow ops exactly on ASCII: tf.strings.lower lowercases
 * A-Z only, the punctuation regex [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\'] removes the 32 ASCII
 * punctuation characters only, and the whitespace split cuts at ASCII whitespace (space, \t, \n,
 * \v, \f, \r) only, dropping empty tokens. Non-ASCII characters (accented letters, '«', '—',
 * U+00A0) are left as they are: not lowercased, not stripped, not split at.
 * Strings are not tensors here: the layer takes a JavaScript array of strings (use it before the
 * model, as Keras recommends for backends other than TensorFlow).
 * Part of src/nn: imports src/core only.
 */
import { ArgumentError, type Tensor, ops } from '../../core/internal.ts';
import { type CallContext, Layer, type LayerConfig, type ShapeOf, type SymbolicShape } from '../layer.ts';

/** The standardizations of {@link TextVectorization}. */
export type TextStandardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation';

/** Options of {@link TextVectorization} (Keras's keyword arguments, camelCase). */
export interface TextVectorizationConfig extends LayerConfig {
  /** The largest vocabulary, '' and '[UNK]' included (an integer > 1); default (undefined or null) no limit. */
  maxTokens?: number | null;
  /** 'lower_and_strip_punctuation' (default), 'lower', 'strip_punctuation' or null (none); ASCII only, see the class. */
  standardize?: TextStandardize | null;
  /** 'whitespace' (default: ASCII whitespace), 'character' (each Unicode code point) or null (the document is one token). */
  split?: 'whitespace' | 'character' | null;
  /** Only 'int' (the default): one id per token. */
  outputMode?: 'int';
  /** Pad with 0 or cut every output to this length; default (undefined or null): pad to the batch's longest. */
  outputSequenceLength?: number | null;
  /** A vocabulary to use instead of `adapt` (without '' and '[UNK]', or starting with exactly those two). */
  vocabulary?: readonly string[] | null;
}

/** The padding token (id 0) and the out-of-vocabulary token (id 1). */
const MASK_TOKEN = '';
const OOV_TOKEN = '[UNK]';
/** Keras's DEFAULT_STRIP_REGEX: the 32 ASCII punctuation characters. */
const STRIP_REGEX = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
/** TensorFlow's whitespace for tf.strings.split without a separator. */
const WHITESPACE = /[ \t\n\v\f\r]+/;

/** A batch of documents: strings, or [N, 1] nested arrays of strings (Keras's shape (N, 1)). */
export type TextBatch = readonly string[] | readonly (readonly [string])[];

/** UTF-8 byte order of two strings (numpy's order of bytes objects). */
function compareBytes(a: string, b: string): number {
  const x = UTF8.encode(a);
  const y = UTF8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
const UTF8 = new TextEncoder();

/**
 * Maps text to integer sequences, Keras `TextVectorization(output_mode='int')`: each string of a batch is
 * standardized (default: ASCII lowercase, ASCII punctuation removed), split (default: at ASCII whitespace) and each
 * token replaced by its vocabulary index: 0 is padding, 1 is '[UNK]' (any token not in the vocabulary), the learned
 * tokens follow from 2. `apply(strings)` returns an int32 tensor [N, L] (Keras: int64), L = `outputSequenceLength`
 * (padded with 0 or cut) or the longest document of the batch.
 *
 * Build the vocabulary with `await layer.adapt(texts)` (see the module notes for the exact order), or pass
 * `vocabulary`.
 *
 * @example
 * ```ts
 * const tv = new dt.layers.TextVectorization({ maxTokens: 5000, outputSequenceLength: 4 });
 * await tv.adapt(['foo bar', 'bar baz', 'baz bada boom']);
 * tv.apply(['foo qux bar', 'qux baz']); // [[4, 1, 3, 0], [1, 2, 0, 0]]
 * ```
 * @throws {@link ArgumentError} for a bad option, an outputMode other than 'int', or a vocabulary with repeats, special
 * tokens out of place or more than maxTokens entries.
 */
export class TextVectorization extends Layer<TextBatch, Tensor> {
  protected override readonly inputKind = 'any' as const;
  /** The largest vocabulary size (special tokens included), null for none. */
  readonly maxTokens: number | null;
  /** The standardization, null for none. */
  readonly standardize: TextStandardize | null;
  /** The split, null for none. */
  readonly split: 'whitespace' | 'character' | null;
  /** The output length, null for the batch's longest. */
  readonly outputSequenceLength: number | null;
  private readonly fixedVocabulary: boolean;
  private vocab: string[] = [MASK_TOKEN, OOV_TOKEN];
  private index = new Map<string, number>([[MASK_TOKEN, 0], [OOV_TOKEN, 1]]);

  /** @param config maxTokens, standardize, split, outputMode, outputSequenceLength, vocabulary, name */
  constructor(config: TextVectorizationConfig = {}) {
    super(config, ['maxTokens', 'standardize', 'split', 'outputMode', 'outputSequenceLength', 'vocabulary']);
    const fmt = (v: unknown): string => JSON.stringify(v) ?? String(v);
    const mt = config.maxTokens ?? null;
    if (mt !== null && (!Number.isSafeInteger(mt) || mt <= 1)) throw new ArgumentError(`TextVectorization: expected maxTokens to be an integer greater than 1 or null. Received: maxTokens=${fmt(mt)}`);
    this.maxTokens = mt;
    const st = config.standardize === undefined ? 'lower_and_strip_punctuation' : config.standardize;
    if (st !== null && st !== 'lower_and_strip_punctuation' && st !== 'lower' && st !== 'strip_punctuation') {
      throw new ArgumentError(`TextVectorization: expected standardize 'lower_and_strip_punctuation', 'lower', 'strip_punctuation' or null. Received: standardize=${fmt(st)}`);
    }
    this.standardize = st;
    const sp = config.split === undefined ? 'whitespace' : config.split;
    if (sp !== null && sp !== 'whitespace' && sp !== 'character') {
      throw new ArgumentError(`TextVectorization: expected split 'whitespace', 'character' or null. Received: split=${fmt(sp)}`);
    }
    this.split = sp;
    if (config.outputMode !== undefined && config.outputMode !== 'int') {
      throw new ArgumentError(`TextVectorization: expected outputMode 'int' (the only mode implemented). Received: outputMode=${fmt(config.outputMode)}`);
    }
    const len = config.outputSequenceLength ?? null;
    if (len !== null && (!Number.isSafeInteger(len) || len <= 0)) {
      throw new ArgumentError(`TextVectorization: expected outputSequenceLength to be a positive integer or null. Received: outputSequenceLength=${fmt(len)}`);
    }
    this.outputSequenceLength = len;
    this.fixedVocabulary = config.vocabulary !== undefined && config.vocabulary !== null;
    if (this.fixedVocabulary) this.setVocabulary(config.vocabulary!);
  }

  /** The standardized and split tokens of one document. */
  tokenize(doc: string): string[] {
    let s = doc;
    if (this.standardize === 'lower' || this.standardize === 'lower_and_strip_punctuation') s = s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    if (this.standardize === 'strip_punctuation' || this.standardize === 'lower_and_strip_punctuation') s = s.replace(STRIP_REGEX, '');
    if (this.split === 'whitespace') return s.split(WHITESPACE).filter((t) => t.length > 0);
    if (this.split === 'character') return Array.from(s);
    return [s];
  }

  /**
   * Replaces the vocabulary (Keras's set_vocabulary): the tokens get ids 2, 3, ... in the given order; a list that
   * starts with '' and '[UNK]' has them removed first.
   * @throws {@link ArgumentError} for repeated tokens, '' or '[UNK]' elsewhere, non-strings, or more than maxTokens
   * entries (special tokens included).
   */
  setVocabulary(vocabulary: readonly string[]): void {
    if (!Array.isArray(vocabulary) || !vocabulary.every((t) => typeof t === 'string')) {
      throw new ArgumentError(`${this.label}: expected a vocabulary of strings. Received: ${typeof vocabulary}`);
    }
    const tokens = vocabulary[0] === MASK_TOKEN && vocabulary[1] === OOV_TOKEN ? vocabulary.slice(2) : [...vocabulary];
    const special = tokens.findIndex((t) => t === MASK_TOKEN || t === OOV_TOKEN);
    if (special >= 0) throw new ArgumentError(`${this.label}: expected the special tokens '' and '[UNK]' only as the first two entries of the vocabulary. Received: ${JSON.stringify(tokens[special])} at position ${special}`);
    const seen = new Set<string>();
    for (const t of tokens) {
      if (seen.has(t)) throw new ArgumentError(`${this.label}: expected a vocabulary without repeated tokens. Received: ${JSON.stringify(t)} more than once`);
      seen.add(t);
    }
    if (this.maxTokens !== null && tokens.length + 2 > this.maxTokens) {
      throw new ArgumentError(`${this.label}: expected a vocabulary of at most maxTokens=${this.maxTokens} entries ('' and '[UNK]' included). Received: ${tokens.length + 2}`);
    }
    this.vocab = [MASK_TOKEN, OOV_TOKEN, ...tokens];
    this.index = new Map(this.vocab.map((t, i) => [t, i]));
  }

  /** The vocabulary, by id ('' and '[UNK]' first unless `includeSpecialTokens` is false). */
  getVocabulary(includeSpecialTokens = true): string[] {
    return includeSpecialTokens ? [...this.vocab] : this.vocab.slice(2);
  }

  /** The number of ids (special tokens included). */
  vocabularySize(): number {
    return this.vocab.length;
  }

  /**
   * Learns the vocabulary from `data` (Keras's adapt): an array of strings (the documents), or an iterable or async
   * iterable of batches, each an array of strings. Counts every token; the vocabulary is the tokens by count, high
   * to low, ties broken by UTF-8 bytes, high to low, cut to maxTokens - 2 entries. Replaces any earlier adapt.
   * @throws {@link ArgumentError} for a layer built with a vocabulary, or data that is not strings.
   */
  async adapt(data: TextBatch | Iterable<TextBatch> | AsyncIterable<TextBatch>): Promise<void> {
    if (this.fixedVocabulary) throw new ArgumentError(`${this.label}.adapt: expected a layer without a given vocabulary (it is fixed). Received: adapt() on a layer built with vocabulary`);
    const counts = new Map<string, number>();
    const add = (batch: unknown): void => {
      for (const doc of this.documents('adapt', batch)) for (const t of this.tokenize(doc)) counts.set(t, (counts.get(t) ?? 0) + 1);
    };
    if (Array.isArray(data) && data.every((d) => typeof d === 'string' || (Array.isArray(d) && d.length === 1 && typeof d[0] === 'string'))) add(data);
    else if (data !== null && typeof data === 'object' && (Symbol.asyncIterator in data || Symbol.iterator in data)) for await (const b of data as AsyncIterable<unknown>) add(b);
    else throw new ArgumentError(`${this.label}.adapt: expected an array of strings or an iterable of batches of strings. Received: ${data === null ? 'null' : typeof data}`);
    counts.delete(MASK_TOKEN);
    counts.delete(OOV_TOKEN);
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareBytes(b[0], a[0])).map(([t]) => t);
    const keep = this.maxTokens === null ? sorted : sorted.slice(0, this.maxTokens - 2);
    this.vocab = [MASK_TOKEN, OOV_TOKEN, ...keep];
    this.index = new Map(this.vocab.map((t, i) => [t, i]));
  }

  /** The documents of a batch: strings, or [string] rows (Keras's (N, 1)). */
  private documents(fn: string, batch: unknown): string[] {
    if (Array.isArray(batch)) {
      const docs = batch.map((d) => (typeof d === 'string' ? d : Array.isArray(d) && d.length === 1 && typeof d[0] === 'string' ? d[0] : undefined));
      const bad = docs.findIndex((d) => d === undefined);
      if (bad < 0) return docs as string[];
      throw new ArgumentError(`${this.label}.${fn}: expected a batch of strings (or of one-string rows, shape [N, 1]). Received: element ${bad} is ${JSON.stringify(batch[bad]) ?? typeof batch[bad]}`);
    }
    throw new ArgumentError(`${this.label}.${fn}: expected a batch of strings (an array). Received: ${batch === null ? 'null' : typeof batch}`);
  }

  /** Text is not a tensor: the layer is used on strings before a model, never on symbolic tensors. */
  override ensureBuilt(_inputShape: ShapeOf<TextBatch>): void {
    throw new ArgumentError(`${this.label}: expected a batch of strings (an array); text is not a tensor, so use the layer on strings before the model. Received: a symbolic tensor`);
  }

  computeOutputShape(shape: ShapeOf<TextBatch>): ShapeOf<Tensor> {
    return [(shape as unknown as SymbolicShape)[0] ?? null, this.outputSequenceLength];
  }

  /**
   * The ids of a batch of documents: int32 [N, L], 0-padded at the end (L: outputSequenceLength, or the batch's
   * longest document).
   * @throws {@link ArgumentError} for input that is not an array of strings.
   */
  call(x: TextBatch, _ctx: CallContext = {}): Tensor {
    const docs = this.documents('call', x).map((d) => this.tokenize(d).map((t) => this.index.get(t) ?? 1));
    const len = this.outputSequenceLength ?? docs.reduce((m, d) => Math.max(m, d.length), 0);
    const out = new Int32Array(docs.length * len);
    docs.forEach((d, i) => out.set(d.length > len ? d.slice(0, len) : d, i * len));
    return ops.tensor(out, [docs.length, len], 'int32');
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), maxTokens: this.maxTokens, standardize: this.standardize, split: this.split, outputMode: 'int',
      outputSequenceLength: this.outputSequenceLength, vocabulary: this.fixedVocabulary ? this.vocab.slice(2) : null, vocabularySize: this.vocab.length,
    };
  }
}
