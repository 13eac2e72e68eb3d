// Node ESM consumer: the package's `node` condition, wasm read from node_modules by init() itself.
import * as lib from 'simd-activations';
import { probe } from '../probe.js';

const result = await probe(lib, (backend) => lib.init({ backend }));
process.stdout.write(JSON.stringify({ resolved: import.meta.resolve('simd-activations'), ...result }));
