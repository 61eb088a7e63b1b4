/**
 * Label checks that need a device read: on a backend without synchronous reads (WebGPU), an
 * out-of-range label is counted on the device and fit fails at its next log read with a clear
 * error; on the CPU the same bad label fails immediately. Valid labels never trigger it.
 * The WebGPU part skips (with the reason) without an adapter, and fails under REQUIRE_WEBGPU=1.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as dt from '../../../src/index.ts';
import { verifyDeferredChecks } from '../../../src/nn/deferred-checks.ts';
import { describeWebGpu, webgpuUnavailable } from '../../util/webgpu.ts';

const unavailable = await webgpuUnavailable();

afterAll(() => dt.shutdown());

async function trainOnce(labels: number[]): Promise<void> {
  const model = new dt.Sequential([new dt.layers.Flatten({ inputShape: [2, 2] }), new dt.layers.Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const source = {
    async *iterate() {
      yield [dt.ones([labels.length, 2, 2]), dt.tensor(Uint8Array.from(labels))];
    },
  };
  try {
    await model.fit(source, { epochs: 1, verbose: 0 });
  } finally {
    model.dispose();
  }
}

describeWebGpu('deferred label checks (webgpu)', unavailable, () => {
  it('valid labels pass; an out-of-range label fails fit with a clear error', async () => {
    await dt.setBackend('webgpu');
    await trainOnce([0, 1, 2, 1]);
    await expect(trainOnce([0, 1, 7, 1])).rejects.toThrow(/sparse_categorical_crossentropy: expected labels in \[0, 3\)\. Received: labels outside that range \(1 offending value/);
    await verifyDeferredChecks(); // the counter was reset by the failure
  });
});

describe('label checks (cpu)', () => {
  it('fails immediately, naming the label', async () => {
    await dt.setBackend('cpu');
    await expect(trainOnce([0, 5])).rejects.toThrow(/expected labels in \[0, 3\)\. Received: label 5 at index 1/);
  });
});
