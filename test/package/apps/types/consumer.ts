// A strict TypeScript consumer of the installed package: the types resolve (under `nodenext` and
// under `bundler`), are precise, and reject misuse.
import { init, supportedBackends, type Activations, type Backend, type F32Buffer } from 'simd-activations';

const backend: Backend = supportedBackends()[0]!;
const act: Activations = await init({ backend, maxMemoryMB: 64 });
const y: Float32Array = act.sigmoid(new Float32Array([0, 1]));
const buf: F32Buffer = act.from(y);
const z: F32Buffer = act.gelu(buf, { approximate: 'tanh' });
const p: Float32Array = act.softmax(y, { cols: 2 });
z.free();
console.log(act.backend, p.length);

// @ts-expect-error: not a build
await init({ backend: 'gpu' });
// @ts-expect-error: gelu has no such option value
act.gelu(y, { approximate: 'fast' });
// @ts-expect-error: a plain number array is not a Float32Array
act.relu([1, 2, 3]);
// @ts-expect-error: without out, a plain input gives a plain result, whatever it is assigned to
const wrongKind: F32Buffer = act.sigmoid(y);
// @ts-expect-error: and a resident input a resident result
const wrongPlain: Float32Array = act.tanh(buf);
const intoOut: F32Buffer = act.relu(y, { out: buf });
// @ts-expect-error: the same for dense layers
const wrongDense: F32Buffer = act.dense(y, y, { batch: 1, inputs: 2, outputs: 1 });
console.log(wrongKind, wrongPlain, intoOut, wrongDense);
