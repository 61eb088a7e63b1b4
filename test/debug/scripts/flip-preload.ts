/**
 * Test-only preload that perturbs any program run on the CPU backend: it registers test/util/bit-flip-backend.ts as
 * 'cpu' and arms it from DITTO_TEST_FLIP=`<op>:<occurrence>:<index>:<bit>` (flip bit `bit` of element `index` of the
 * `occurrence`-th run of primitive `op`, counting from the start of the program). Used to show that `ditto diff`
 * names an injected perturbation in a full `npm start` run:
 *   DITTO_TEST_FLIP=conv2dBiasAct:1:5003:20 DITTO_TRACE=flip.jsonl.gz DITTO_TRACE_STEPS=1 \
 *     npx tsx --import ./test/debug/scripts/flip-preload.ts examples/reproducibility.ts --backend cpu
 */
import { registerBackend } from '../../../src/advanced.ts';
import { BitFlipBackend } from '../../util/bit-flip-backend.ts';

const spec = process.env.DITTO_TEST_FLIP ?? '';
const m = /^(\w+):(\d+):(\d+):(\d+)$/.exec(spec);
if (!m) throw new Error(`flip-preload: expected DITTO_TEST_FLIP=<op>:<occurrence>:<index>:<bit>. Received: '${spec}'`);
const flip = new BitFlipBackend();
flip.arm({ op: m[1], occurrence: Number(m[2]), index: Number(m[3]), bit: Number(m[4]) });
registerBackend('cpu', () => flip, 1);
process.on('exit', () => process.stderr.write(`flip-preload: ${flip.flipped ? `flipped ${spec}` : `armed ${spec} but the op never ran that often`}\n`));
