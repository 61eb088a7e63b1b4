/**
 * docs/saving.md's list of supported Keras classes and fields is the one scripts/keras-support-doc.ts generates from
 * the translation table (src/nn/saving/layer-table.ts), so it cannot drift; every class of the table is in it; and
 * the refusals the page quotes are the errors the reader gives.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { resetNames } from '../../../src/nn/naming.ts';
import { BUILTIN_LAYER_SPECS, compileFromKerasConfig, optimizerFromKerasConfig } from '../../../src/nn/saving/index.ts';
import { DOC, generate, updatedDoc } from '../../../scripts/keras-support-doc.ts';

beforeEach(() => resetNames());

describe('docs/saving.md: supported Keras classes and fields', () => {
  it('the generated part is fresh (run `npx tsx scripts/keras-support-doc.ts` after changing layer-table.ts)', () => {
    const doc = readFileSync(DOC, 'utf8');
    expect(updatedDoc(doc) === doc, 'docs/saving.md is stale').toBe(true);
  });

  it('lists every class of the table with its fields', () => {
    const text = generate();
    for (const spec of BUILTIN_LAYER_SPECS) {
      expect(text).toContain(`| \`${spec.className}\` |`);
      for (const fs of [...(spec.args ?? []), ...(spec.fields ?? [])]) expect(text, `${spec.className}.${fs.keras}`).toMatch(new RegExp(`\\| \`${spec.className}\` \\|.*\`${fs.keras}\``));
    }
  });

  it('the refusals quoted on the page are the reader\'s errors', () => {
    const doc = readFileSync(DOC, 'utf8');
    const seq = (layer: object) => ({ module: 'keras', class_name: 'Sequential', config: { name: 'sequential', layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' } }, layer] } });
    const dense = (extra: object) => ({ module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', units: 2, ...extra } });
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    const quoted = [
      message(() => dt.models.modelFromJSON(seq({ module: 'keras.layers', class_name: 'ConvLSTM1D', config: { name: 'conv_lstm1d', filters: 3 } }))),
      message(() => dt.models.modelFromJSON(seq(dense({ lora_rank: 4 })))),
      message(() => dt.models.modelFromJSON({ module: 'keras', class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: true, name: 'i' } }] } })),
      message(() => dt.models.modelFromJSON({ module: 'keras.layers', class_name: 'Dense', config: { units: 2 } })),
      message(() => optimizerFromKerasConfig({ class_name: 'Muon', config: {} })),
      message(() => optimizerFromKerasConfig({ class_name: 'Adam', config: { loss_scale_factor: 128 } })),
      message(() => compileFromKerasConfig({ optimizer: 'adam', loss: 'mse', steps_per_execution: 4 })),
      message(() => compileFromKerasConfig({ optimizer: 'adam', loss: { class_name: 'Huber', config: { name: 'huber', delta: 2 } } })),
    ];
    for (const m of quoted) expect(doc, m).toContain(`\`${m}\``);
    const prefixes = [
      message(() => dt.models.modelFromJSON(seq({ module: 'keras.layers', class_name: 'Flatten', config: { name: 'flatten', data_format: 'channels_first' } }))),
      message(() => dt.models.modelFromJSON(seq(dense({ dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } })))),
      message(() => dt.models.modelFromJSON(seq(dense({ kernel_regularizer: { module: 'keras.regularizers', class_name: 'MyReg', config: {} } })))),
    ].map((m) => m.replace(/ \(at .*\)$/, ''));
    for (const p of prefixes) expect(doc, p).toContain(`\`${p} (at `);
  });
});
