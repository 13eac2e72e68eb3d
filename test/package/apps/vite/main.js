// Vite with no configuration for the package: init() finds its wasm by itself.
import * as lib from 'simd-activations';
import { probe, report } from '../probe.js';

report(probe(lib, (backend) => lib.init({ backend })));
