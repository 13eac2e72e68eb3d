// The browser counterpart of worker-port.ts, bundled into dist/worker.js in its place: a Web
// Worker receives its setup through self.onmessage.
import type { PoolPort } from './worker-port.js';

export const nodePort: PoolPort | null = null;
