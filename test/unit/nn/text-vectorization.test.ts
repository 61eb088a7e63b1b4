/**
 * TextVectorization (Keras 3, output_mode 'int'):
 * - Keras's documented example (adapt, then ids with padding 0 and OOV 1);
 * - the vocabulary order: count high to low, ties by UTF-8 bytes high to low (expected values from NumPy's
 *   np.lexsort((tokens, counts))[::-1] over the byte strings, as Keras's IndexLookup computes it), independent of the
 *   order of the data; maxTokens cut;
 * - standardization exactly as Keras's TensorFlow ops on ASCII, non-ASCII left alone;
 * - outputSequenceLength (pad / cut), padding to the batch's longest, [N, 1] input, a given vocabulary, errors.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';

const L = dt.layers;

beforeEach(async () => {
  await dt.setBackend('cpu');
  resetNames();
});

describe('TextVectorization', () => {
  it('Keras\'s documented example', async () => {
    const tv = new L.TextVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
    await tv.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    const y = tv.apply(['foo qux bar', 'qux baz']);
    expect(y.dtype).toBe('int32');
    expect(y.arraySync()).toEqual([[4, 1, 3, 0], [1, 2, 0, 0]]);
    expect(tv.getVocabulary()).toEqual(['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
    expect(tv.getVocabulary(false)).toEqual(['baz', 'bar', 'foo', 'boom', 'bada']);
    expect(tv.vocabularySize()).toBe(7);
    const given = new L.TextVectorization({ outputSequenceLength: 4, vocabulary: ['earth', 'wind', 'and', 'fire'] });
    expect(given.getVocabulary()).toEqual(['', '[UNK]', 'earth', 'wind', 'and', 'fire']);
  });

  it('vocabulary order: count, then UTF-8 bytes, high to low (NumPy lexsort reference), whatever the data order', async () => {
    const docs = ['b a c', 'c b', 'z é ！ 😀', 'a z', 'é ！ 😀 x', 'aa ab b'];
    const want = ['', '[UNK]', 'b', '😀', '！', 'é', 'z', 'c', 'a', 'x', 'ab', 'aa']; // python3 + numpy, see header
    const tv = new L.TextVectorization();
    await tv.adapt(docs);
    expect(tv.getVocabulary()).toEqual(want);
    await tv.adapt([...docs].reverse()); // adapt replaces the vocabulary; the order of the data does not matter
    expect(tv.getVocabulary()).toEqual(want);
    const batches = function* (): Generator<string[]> {
      yield docs.slice(0, 2);
      yield docs.slice(2);
    };
    await tv.adapt(batches());
    expect(tv.getVocabulary()).toEqual(want);
    const cut = new L.TextVectorization({ maxTokens: 5 });
    await cut.adapt(docs);
    expect(cut.getVocabulary()).toEqual(want.slice(0, 5));
    // '' and '[UNK]' in the data are not learned
    const sp = new L.TextVectorization({ standardize: null });
    await sp.adapt(['[UNK] [UNK] a']);
    expect(sp.getVocabulary()).toEqual(['', '[UNK]', 'a']);
  });

  it('standardization: Keras\'s ASCII rules exactly; non-ASCII letters, punctuation and spaces left alone', () => {
    const text = 'Hello, World! It\'s l\'été—ÉTÉ «ok» a\u00A0b TAB\there\n(x_y)+[z]{w}~`^|\\/"#$%&*.;:<=>?@-';
    const mk = (standardize: dt.layers.TextStandardize | null): dt.layers.TextVectorization => new L.TextVectorization({ standardize });
    expect(mk('lower_and_strip_punctuation').tokenize(text)).toEqual(['hello', 'world', 'its', 'lété—ÉtÉ', '«ok»', 'a\u00A0b', 'tab', 'here', 'xyzw']);
    expect(mk('lower').tokenize(text)).toEqual(['hello,', 'world!', 'it\'s', 'l\'été—ÉtÉ', '«ok»', 'a\u00A0b', 'tab', 'here', '(x_y)+[z]{w}~`^|\\/"#$%&*.;:<=>?@-']);
    expect(mk('strip_punctuation').tokenize(text)).toEqual(['Hello', 'World', 'Its', 'lété—ÉTÉ', '«ok»', 'a\u00A0b', 'TAB', 'here', 'xyzw']);
    expect(mk(null).tokenize(' A  b ')).toEqual(['A', 'b']);
    expect(new L.TextVectorization({ split: 'character', standardize: null }).tokenize('a😀b')).toEqual(['a', '😀', 'b']);
    expect(new L.TextVectorization({ split: null }).tokenize('Ab, c')).toEqual(['ab c']);
    // every one of the 32 ASCII punctuation characters is stripped, nothing else of ASCII
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    expect(mk('strip_punctuation').tokenize(ascii)).toEqual(['0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz']);
  });

  it('outputs: padded to the batch\'s longest, or padded / cut to outputSequenceLength; [N, 1] input', async () => {
    const tv = new L.TextVectorization({ vocabulary: ['a', 'b', 'c'] });
    expect(tv.apply(['a b', 'c d c a', '']).arraySync()).toEqual([[2, 3, 0, 0], [4, 1, 4, 2], [0, 0, 0, 0]]);
    expect(tv.apply([['a b'], ['c']]).arraySync()).toEqual([[2, 3], [4, 0]]);
    const cut = new L.TextVectorization({ vocabulary: ['', '[UNK]', 'a', 'b', 'c'], outputSequenceLength: 2 });
    expect(cut.apply(['a b c', 'c']).arraySync()).toEqual([[2, 3], [4, 0]]);
    expect(cut.computeOutputShape([null] as never)).toEqual([null, 2]);
    // the ids feed an Embedding with maskZero
    const emb = new L.Embedding(cut.vocabularySize(), 3, { maskZero: true });
    const ids = cut.apply(['a b c', 'c']);
    expect(emb.apply(ids).shape).toEqual([2, 2, 3]);
    expect(emb.computeMask(ids, null)!.arraySync()).toEqual([[1, 1], [1, 0]]);
  });

  it('errors', async () => {
    const cases: [() => unknown, RegExp][] = [
      [() => new L.TextVectorization({ maxTokens: 1 }), /^TextVectorization: expected maxTokens to be an integer greater than 1/],
      [() => new L.TextVectorization({ standardize: 'upper' as never }), /^TextVectorization: expected standardize/],
      [() => new L.TextVectorization({ split: 'comma' as never }), /^TextVectorization: expected split/],
      [() => new L.TextVectorization({ outputMode: 'multi_hot' as never }), /^TextVectorization: expected outputMode 'int'/],
      [() => new L.TextVectorization({ outputSequenceLength: 0 }), /^TextVectorization: expected outputSequenceLength to be a positive integer/],
      [() => new L.TextVectorization({ vocabulary: ['a', 'a'] }), /without repeated tokens. Received: "a" more than once/],
      [() => new L.TextVectorization({ vocabulary: ['a', '[UNK]'] }), /special tokens '' and '\[UNK\]' only as the first two entries/],
      [() => new L.TextVectorization({ vocabulary: ['a', 'b'], maxTokens: 3 }), /at most maxTokens=3 entries/],
      [() => new L.TextVectorization({ max_tokens: 3 } as never), /max_tokens/],
      [() => new L.TextVectorization().apply([1] as never), /expected a batch of strings .* Received: element 0 is 1/],
      [() => new L.TextVectorization().apply('a b' as never), /expected a batch of strings \(an array\)/],
      [() => new L.TextVectorization().apply(dt.Input({ shape: [1] }) as never), /text is not a tensor, so use the layer on strings before the model/],
    ];
    for (const [f, re] of cases) expect(f).toThrow(re);
    await expect(new L.TextVectorization({ vocabulary: ['a'] }).adapt(['a'])).rejects.toThrow(/adapt: expected a layer without a given vocabulary/);
    await expect(new L.TextVectorization().adapt(5 as never)).rejects.toThrow(/adapt: expected an array of strings or an iterable/);
    expect(new L.TextVectorization({ outputSequenceLength: 3 }).getConfig()).toMatchObject({ standardize: 'lower_and_strip_punctuation', split: 'whitespace', outputMode: 'int', outputSequenceLength: 3 });
  });
});
