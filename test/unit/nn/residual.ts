/**
 * A small residual CNN for 8x8x1 inputs built with the functional API (Conv2D -> Conv2D -> Add skip ->
 * Dropout -> GlobalAveragePooling2D -> Dense softmax), and the same network as a Sequential whose skip is a
 * hand-written layer (dt.add of its input and an inner Conv2D): the two have the same weights in the same order.
 * Shared by functional-training.test.ts, the two-process determinism script and the resume test.
 */
import * as dt from '../../../src/index.ts';

const L = dt.layers;

/** Initializers: seeded ones when `seed` is given, else the defaults (drawn from dt.utils.setRandomSeed). */
function init(seed: number | undefined, k: number): { kernelInitializer?: dt.initializers.GlorotUniform } {
  return seed === undefined ? {} : { kernelInitializer: new dt.initializers.GlorotUniform({ seed: seed + k }) };
}

/** The functional residual CNN; `dropout` 0 leaves the Dropout out. */
export function residualModel(o: { seed?: number; dropout?: number; name?: string } = {}): dt.Functional {
  const inputs = dt.Input({ shape: [8, 8, 1] });
  const c1 = new L.Conv2D(4, 3, { padding: 'same', activation: 'relu', ...init(o.seed, 0) }).apply(inputs);
  const c2 = new L.Conv2D(4, 3, { padding: 'same', ...init(o.seed, 1) }).apply(c1);
  let h = new L.Add().apply([c1, c2]);
  if ((o.dropout ?? 0) > 0) h = new L.Dropout(o.dropout!).apply(h);
  const p = new L.GlobalAveragePooling2D().apply(h);
  const outputs = new L.Dense(3, { activation: 'softmax', ...init(o.seed, 2) }).apply(p);
  return new dt.Model({ inputs, outputs, name: o.name });
}

/** x + conv(x): the skip connection written by hand as one layer, for the Sequential twin. */
class ResidualConv extends dt.layers.Layer {
  constructor(readonly inner: dt.layers.Conv2D) {
    super({}, []);
  }
  protected override build(shape: readonly (number | null)[]): void {
    this.inner.ensureBuilt(shape);
  }
  computeOutputShape(shape: readonly (number | null)[]): (number | null)[] {
    return this.inner.computeOutputShape(shape);
  }
  call(x: dt.Tensor, ctx: dt.layers.CallContext): dt.Tensor {
    return dt.add(x, this.inner.apply(x, ctx));
  }
  override get trainableWeights(): dt.Variable[] {
    return this.inner.trainableWeights;
  }
  override get nonTrainableWeights(): dt.Variable[] {
    return this.inner.nonTrainableWeights;
  }
  override dispose(): void {
    this.inner.dispose();
  }
}

/** The same network as a Sequential of plain layers and ResidualConv (no Dropout). */
export function residualSequential(seed: number): dt.Sequential {
  return new dt.Sequential([
    dt.layers.Input({ shape: [8, 8, 1] }),
    new L.Conv2D(4, 3, { padding: 'same', activation: 'relu', ...init(seed, 0) }),
    new ResidualConv(new L.Conv2D(4, 3, { padding: 'same', ...init(seed, 1) })),
    new L.GlobalAveragePooling2D(),
    new L.Dense(3, { activation: 'softmax', ...init(seed, 2) }),
  ]);
}
