/**
 * The pieces exact resume relies on, one by one: Dataset.shuffleSeeds through a pipeline,
 * Optimizer.build creating the slots the first step would, exact float64 text, EarlyStopping's
 * state round trip and its refusal of another configuration, and the state/manifest parsers
 * naming the damaged field.
 */
import { describe, expect, it } from 'vitest';
import * as dt from '../../src/index.ts';
import { DataFormatError } from '../../src/core/errors.ts';
import { f64FromHex, f64Hex } from '../../src/nn/checkpoint/number-bits.ts';
import { parseCheckpointState } from '../../src/nn/checkpoint/state.ts';
import { encodeManifest, parseManifest } from '../../src/nn/checkpoint/manifest.ts';
import { checkpointName, parseCheckpointName } from '../../src/nn/checkpoint/layout.ts';

await dt.setBackend('cpu');

describe('checkpoint building blocks', () => {
  it('Dataset.shuffleSeeds lists every shuffle stage in order, through other stages', () => {
    const x = dt.zeros([8, 2]);
    const ds = dt.data.Dataset.fromTensorSlices(x).shuffle(8, { seed: 3 }).batch(2).map((t: dt.Tensor) => t).shuffle(4, { seed: 9 }).prefetch(1).take(3);
    expect(ds.shuffleSeeds()).toEqual([3, 9]);
    expect(dt.data.Dataset.fromTensorSlices(x).batch(2).shuffleSeeds()).toEqual([]);
    x.dispose();
  });

  it('Optimizer.build creates the zero slots the first step creates, in the same order', () => {
    const a = dt.variable(dt.ones([2, 3]), { name: 'l/kernel' });
    const b = dt.variable(dt.ones([3]), { name: 'l/bias' });
    const adam = new dt.optimizers.Adam();
    adam.build([a, b]);
    expect(adam.variables().map((v) => v.name)).toEqual(['adam/l/kernel_momentum', 'adam/l/kernel_velocity', 'adam/l/bias_momentum', 'adam/l/bias_velocity']);
    expect([...adam.variables()[0].dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
    const stepped = new dt.optimizers.Adam();
    stepped.applyGradients([[dt.ones([2, 3]), a], [dt.ones([3]), b]]);
    expect(stepped.variables().map((v) => v.name)).toEqual(adam.variables().map((v) => v.name));
    const sgd = new dt.optimizers.SGD();
    sgd.build([a]);
    expect(sgd.variables()).toEqual([]);
    expect(new dt.optimizers.SGD({ momentum: 0.5 }).getConfig()).toEqual({ name: 'SGD', learningRate: 0.01, momentum: 0.5, nesterov: false });
    for (const o of [adam, stepped, sgd]) o.dispose();
    a.dispose();
    b.dispose();
  });

  it('float64 text is exact for every value JSON cannot hold', () => {
    for (const v of [Infinity, -Infinity, NaN, -0, 0, 1 / 3, Number.MIN_VALUE, -1e308]) expect(Object.is(f64FromHex(f64Hex(v), 'v'), v)).toBe(true);
    expect(f64Hex(1)).toBe('3ff0000000000000');
    expect(() => f64FromHex('3ff', 'best')).toThrow(/^f64FromHex: expected best as 16 lower-case hex digits\. Received: "3ff"$/);
  });

  it('EarlyStopping state round-trips exactly and refuses another configuration', () => {
    const es = new dt.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
    es.onTrainBegin();
    const fresh = es.getState();
    expect(fresh.json.best).toBe(f64Hex(Infinity));
    Object.assign(es, { wait: 2, best: 0.1 + 0.2, bestEpoch: 4, stoppedEpoch: 0 });
    (es as unknown as { bestWeights: Float32Array[] }).bestWeights = [new Float32Array([1, 2])];
    const st = es.getState();
    const other = new dt.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
    other.setState(st);
    expect(other.getState()).toEqual(st);
    expect(other.best).toBe(0.1 + 0.2);
    const patient = new dt.EarlyStopping({ monitor: 'val_loss', patience: 4, restoreBestWeights: true });
    expect(() => patient.setState(st)).toThrow(/^EarlyStopping\.setState: expected the checkpointed configuration .*"patience":3.*\. Received: this callback's .*"patience":4/);
    expect(patient.wait).toBe(0);
    expect(() => other.setState({ json: { ...st.json, wait: -1 }, arrays: st.arrays })).toThrow(/expected wait to be a non-negative integer/);
  });

  it('state.json and manifest.json parsers name the damaged field', () => {
    const bad = (patch: (s: Record<string, any>) => void): string => {
      const s: Record<string, any> = { format: 'ditto-checkpoint', version: 1, position: { epoch: 0, step: 1, globalStep: 1 } };
      patch(s);
      return JSON.stringify(s);
    };
    expect(() => parseCheckpointState(bad((s) => { s.version = 2; }), 'x/state.json')).toThrow(/^readCheckpoint: x\/state\.json: state\.version: expected 1 \(the version this engine reads\)\. Received: 2$/);
    expect(() => parseCheckpointState(bad((s) => { s.position.epoch = -1; }), 'x/state.json')).toThrow(/state\.position\.epoch: expected an integer >= 0\. Received: -1/);
    expect(() => parseCheckpointState(bad(() => {}), 'x/state.json')).toThrow(/state\.fit: expected an object\. Received: undefined/);
    expect(() => parseCheckpointState('{"format": "ditto-chec', 'x/state.json')).toThrow(/state\.json: expected valid JSON/);
    const m = JSON.parse(encodeManifest(3, { 'state.json': new Uint8Array(2), 'tensors.safetensors': new Uint8Array(1) }));
    expect(parseManifest(JSON.stringify(m), 'm').files['state.json'].bytes).toBe(2);
    m.files['extra.bin'] = m.files['state.json'];
    expect(() => parseManifest(JSON.stringify(m), 'm')).toThrow(DataFormatError);
    expect(() => parseManifest(JSON.stringify(m), 'm')).toThrow(/expected manifest\.files to list only tensors\.safetensors, state\.json\. Received: also extra\.bin/);
  });

  it('checkpoint names order by step, then suffix', () => {
    expect(checkpointName(12)).toBe('ckpt-000000012');
    expect(checkpointName(12, 1)).toBe('ckpt-000000012-1');
    expect(checkpointName(1234567890)).toBe('ckpt-1234567890');
    expect(parseCheckpointName('ckpt-1234567890')).toEqual({ globalStep: 1234567890, seq: 0 });
    expect(parseCheckpointName('ckpt-000000012-2')).toEqual({ globalStep: 12, seq: 2 });
    expect(parseCheckpointName('.ckpt-000000012.tmp-ditto-5')).toBeNull();
    expect(parseCheckpointName('ckpt-12')).toBeNull();
  });
});
