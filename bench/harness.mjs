// The benchmark run: builds the contestants, sets each up (a failure is recorded with its reason
// and the contestant is reported as failed in every cell it would have run), measures every cell,
// then the accuracy, and returns one results object that the reports and targets read.

import os from 'node:os';
import { createRequire } from 'node:module';
import { supportedBackends } from '../dist/index.js';
import { selectFunctions, elementsFor } from './functions.mjs';
import { cellInputs } from './random.mjs';
import { referenceResult } from './reference.mjs';
import { measureCell } from './measure.mjs';
import { speedup } from './stats.mjs';
import { measureAccuracy } from './accuracy.mjs';
import { evaluateTargets } from './targets.mjs';
import { machineScaling } from './scaling.mjs';
import { PAIRED_RATIOS } from './options.mjs';
import { libraryContestant } from './contestants/library.mjs';
import { plainJsContestant } from './contestants/plain-js.mjs';
import { wasmCopyContestant, typedArraySetContestant } from './contestants/limits.mjs';

const require = createRequire(import.meta.url);
const libVersion = require('../package.json').version;

/** Contestant objects for the chosen ids and builds (TF.js and ORT modules load lazily). */
export async function buildContestants(ids, builds) {
  const list = [];
  const version = `simd-activations ${libVersion}`;
  for (const mode of ['resident', 'plain']) {
    if (!ids.includes(`lib-${mode}`)) continue;
    for (const build of builds) list.push(libraryContestant(build, mode, version));
  }
  // As a user calls it without `out` (a new Float32Array per call): the first build.
  if (ids.includes('lib-new')) list.push(libraryContestant(builds[0], 'new', version));
  // Threads (issue 11): the first build, resident, on 2 threads and on 'auto'; Float32Array
  // arguments on 2 threads (their copies stay on the calling thread).
  if (ids.includes('lib-threads')) {
    for (const threads of [2, 'auto']) list.push(libraryContestant(builds[0], 'resident', version, threads));
    if (ids.includes('lib-plain')) list.push(libraryContestant(builds[0], 'plain', version, 2));
  }
  if (ids.includes('plain-js')) list.push(plainJsContestant(`Node ${process.version}`));
  const tfIds = ids.filter((id) => id.startsWith('tfjs-'));
  if (tfIds.length) {
    const { tfjsContestant } = await import('./contestants/tfjs.mjs');
    for (const id of tfIds) {
      const [, backend, mode] = id.split('-');
      list.push(tfjsContestant(backend, mode));
    }
  }
  if (ids.includes('ort-wasm')) {
    const { onnxContestant } = await import('./contestants/onnx.mjs');
    list.push(onnxContestant());
  }
  if (ids.includes('copy-wasm')) list.push(wasmCopyContestant('simd build math_copy'));
  if (ids.includes('copy-set')) list.push(typedArraySetContestant(`Node ${process.version}`));
  return list;
}

/** Sets up each contestant; a failure marks it failed with the reason (never silently dropped). */
export async function setupContestants(contestants, log = () => {}) {
  for (const c of contestants) {
    try {
      await c.setup();
    } catch (error) {
      c.failed = error?.message ?? String(error);
      log(`FAILED to start ${c.label}: ${c.failed}`);
    }
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    execArgv: process.execArgv,
    supportedBuilds: supportedBackends(),
  };
}

/**
 * The cells to measure: (function, work, size) with the element count that size runs at.
 * `worksFor(fnId, work, size)` leaves cells out; `threadCells` ([function id, size], forward) are
 * added for the library's contestants alone (`only`).
 */
export function planCells(functions, works, sizes, { largeSizeFrom = Infinity, largeSizeKinds, worksFor, threadCells = [] } = {}) {
  const cells = [];
  for (const work of works) {
    for (const fn of functions) {
      const seen = new Set();
      for (const size of sizes) {
        const elements = elementsFor(fn, size);
        if (elements === 0 || seen.has(elements)) continue;
        if (largeSizeKinds && size > largeSizeFrom && !largeSizeKinds.includes(fn.kind)) continue;
        if (worksFor && !worksFor(fn.id, work, size)) continue;
        seen.add(elements);
        cells.push({ fn, work, size, elements });
      }
    }
  }
  for (const [id, size] of threadCells) {
    const fn = functions.find((f) => f.id === id);
    if (!fn || !works.includes('forward')) continue;
    const elements = elementsFor(fn, size);
    if (cells.some((c) => c.fn === fn && c.work === 'forward' && c.elements === elements)) continue;
    cells.push({ fn, work: 'forward', size, elements, only: 'lib-' });
  }
  return cells;
}

async function warmUp(functions, works, contestants, ms, peerOps, worksFor) {
  const data = cellInputs(4096);
  for (const fn of functions) {
    for (const work of works) {
      if (worksFor && !worksFor(fn.id, work, 4096)) continue;
      const cellData = { ...data, y: work === 'backward-saved' && fn.saved === 'output' ? referenceResult(fn, 'forward', data.x) : undefined };
      for (const c of contestants) {
        if (c.failed || c.supports(fn, work) !== true) continue;
        if (peerOps && (c.family === 'tfjs' || c.family === 'onnx') && !peerOps.includes(fn.id)) continue;
        let runner;
        try {
          runner = await c.prepare(fn, work, cellData);
          const end = performance.now() + ms;
          while (performance.now() < end) {
            const pending = runner.run();
            if (pending && typeof pending.then === 'function') await pending;
          }
        } catch {
          // A contestant that fails here fails again, and is reported, in its cells.
        } finally {
          runner?.dispose();
        }
      }
    }
  }
}

/**
 * The paired ratios (PAIRED_RATIOS in options.mjs) of the simd build with resident buffers: the
 * two passes of each pair timed as two entries of one cell, in the same interleaved rounds, at the
 * run's sizes from 65,536 to 10^6, for the pairs whose functions and works this run selected.
 * Returns [{ a: [fn, work], b: [fn, work], size, ratio }], ratio = a's throughput / b's.
 */
export async function measurePairs(functions, works, sizes, contestants, plan) {
  const lib = contestants.find((c) => c.id === 'lib-simd-resident' && !c.failed);
  const byId = new Map(functions.map((f) => [f.id, f]));
  const wanted = PAIRED_RATIOS.filter(([a, b]) => [a, b].every(([fn, work]) => byId.has(fn) && works.includes(work)));
  const out = [];
  if (!lib || wanted.length === 0) return out;
  for (const size of sizes.filter((s) => s >= 65536 && s <= 1e6)) {
    const data = cellInputs(size);
    for (const [a, b] of wanted) {
      const entries = [];
      try {
        for (const [fn, work] of [a, b]) {
          const runner = await lib.prepare(byId.get(fn), work, data);
          entries.push({ contestant: { ...lib, id: `${fn} ${work}` }, runner });
        }
        const timed = await measureCell(entries, size, plan);
        out.push({ a, b, size, ratio: speedup(timed[`${a[0]} ${a[1]}`], timed[`${b[0]} ${b[1]}`]) });
      } finally {
        for (const { runner } of entries) runner.dispose();
      }
    }
  }
  return out;
}

export async function runBenchmark(options, { log = () => {}, progress = () => {}, contestants } = {}) {
  const started = new Date();
  const functions = selectFunctions(options.ops);
  contestants ??= await buildContestants(options.contestants, options.builds);
  await setupContestants(contestants, log);
  const cells = planCells(functions, options.works, options.sizes, options);
  const accuracySteps = options.accuracy ? functions.length * options.works.length : 0;
  const totalSteps = cells.length + accuracySteps;
  let step = 0;

  // Warm every (function, work) for every contestant once before any cell is timed: V8 compiles a
  // wasm function with its baseline compiler first and swaps in the optimised code after a while;
  // without this the first cell of each function (the smallest size) times the baseline code.
  await warmUp(functions, options.works, contestants, options.plan.globalWarmupMs ?? 15, options.peerOps, options.worksFor);

  const inputsBySize = new Map();
  const results = [];
  for (const cell of cells) {
    progress(step++, totalSteps, `${cell.fn.id} ${cell.work} ${cell.elements}`);
    if (!inputsBySize.has(cell.elements)) {
      inputsBySize.clear(); // keep one size's arrays alive at a time: 10^7 floats are 40 MB each
      inputsBySize.set(cell.elements, cellInputs(cell.elements));
    }
    const { x, dy } = inputsBySize.get(cell.elements);
    const data = { x, dy, y: cell.work === 'backward-saved' && cell.fn.saved === 'output' ? referenceResult(cell.fn, 'forward', x) : undefined };
    const entries = [];
    const cellResults = {};
    for (const c of contestants) {
      if (c.failed) {
        cellResults[c.id] = { status: 'failed', reason: c.failed };
        continue;
      }
      if (options.largeSizeContestants && cell.size > options.largeSizeFrom && !options.largeSizeContestants.some((p) => c.id.startsWith(p))) {
        cellResults[c.id] = { status: 'n/a', reason: 'not measured at this size in this plan' };
        continue;
      }
      if (cell.only && !c.id.startsWith(cell.only)) {
        cellResults[c.id] = { status: 'n/a', reason: 'thread-scaling cells measure the library alone' };
        continue;
      }
      if (options.peerOps && (c.family === 'tfjs' || c.family === 'onnx') && !options.peerOps.includes(cell.fn.id)) {
        cellResults[c.id] = { status: 'n/a', reason: 'peers are measured only on the targets\' functions in this plan' };
        continue;
      }
      const supported = c.supports(cell.fn, cell.work);
      if (supported !== true) {
        cellResults[c.id] = { status: 'n/a', reason: supported };
        continue;
      }
      try {
        entries.push({ contestant: c, runner: await c.prepare(cell.fn, cell.work, data) });
      } catch (error) {
        cellResults[c.id] = { status: 'failed', reason: error?.message ?? String(error) };
        log(`FAILED ${c.label} on ${cell.fn.id} ${cell.work} ${cell.elements}: ${cellResults[c.id].reason}`);
      }
    }
    try {
      Object.assign(cellResults, await measureCell(entries, cell.elements, options.plan));
    } finally {
      for (const { runner } of entries) runner.dispose();
    }
    results.push({ fn: cell.fn.id, work: cell.work, size: cell.size, elements: cell.elements, results: cellResults });
  }

  const pairs = await measurePairs(functions, options.works, options.sizes, contestants, options.plan);

  let accuracy;
  if (options.accuracy) {
    accuracy = await measureAccuracy(functions, options.works, contestants, () => progress(step++, totalSteps, 'accuracy'));
  }
  for (const c of contestants) await c.teardown?.();
  // Beside the thread-scaling cells: how much a second core gave during this run, without this library.
  const twoThreads = contestants.some((c) => /-t2$/.test(c.id) && !c.failed);
  const parallelCheck = twoThreads ? { threads: 2, ratio: await machineScaling(2) } : undefined;
  progress(totalSteps, totalSteps, 'done');

  const out = {
    started: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    machine: { ...machineInfo(), parallelCheck },
    options: { ...options, plan: options.plan },
    sizes: options.sizes,
    works: options.works,
    functions: functions.map(({ id, name, kernel, kind, saved, cols, params }) => ({ id, name, kernel, kind, saved, cols, params })),
    contestants: contestants.map((c) => ({
      id: c.id, label: c.label, family: c.family, build: c.build, mode: c.mode, version: c.version,
      status: c.failed ? 'failed' : 'ok', reason: c.failed,
    })),
    cells: results,
    pairs,
    accuracy,
  };
  out.targets = evaluateTargets(out);
  return out;
}
