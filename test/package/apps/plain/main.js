// No bundler and no import map: the browser file straight from node_modules.
import * as lib from '../node_modules/simd-activations/dist/browser.js';
import { probe, report } from '../probe.js';

report(probe(lib, (backend) => lib.init({ backend })));
