// The pool's worker entry in Node (src/platform.ts starts it): the worker itself (worker.ts)
// behind worker_threads' parentPort. A static import, so it works on every Node from 20.0.
import { parentPort } from 'node:worker_threads';
import { listen, type NodePort } from './worker.js';

if (parentPort) listen(parentPort as unknown as NodePort);
