
// Appended by the test to the README's esbuild recipe (which defines init, relaxed, simd, scalar).
import * as lib from 'simd-activations';
import { probe, report } from '../probe.js';

report(probe(lib, (backend) => init({ backend, wasm: { relaxed, simd, scalar } })));
