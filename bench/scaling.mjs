// Thread scaling (issue 11): each threaded contestant (lib-BUILD-MODE-t2, -tauto) against the same
// build and mode on one thread, cell by cell, as time on one thread over time on N. The report's
// tables and the threads targets read it from here.

import { speedup } from './stats.mjs';

const THREADED = /^(lib-[a-z]+-[a-z]+)-t(\w+)$/;

/** Rows { fn, work, size, elements, id, threads, base, ratio } for every cell a threaded contestant ran. */
export function threadScaling(results) {
  const rows = [];
  const threaded = results.contestants.map((c) => [c, THREADED.exec(c.id)]).filter(([, m]) => m);
  for (const cell of results.cells) {
    for (const [c, [, base, threads]] of threaded) {
      const ratio = speedup(cell.results[c.id], cell.results[base]);
      if (!Number.isFinite(ratio)) continue;
      rows.push({ fn: cell.fn, work: cell.work, size: cell.size, elements: cell.elements, id: c.id, threads, base, ratio, version: c.version });
    }
  }
  return rows;
}

/**
 * The scaling as a grid for the reports: `ids` (the threaded contestants, columns) and one row per
 * (function, work, element count) that any of them ran, `keep(row)` choosing rows, each with
 * `ratio(id)` (undefined where that contestant did not run).
 */
export function scalingGrid(results, keep = () => true) {
  const all = threadScaling(results).filter(keep);
  const ids = [...new Set(all.map((r) => r.id))];
  const rows = new Map();
  for (const r of all) {
    const key = `${r.fn}|${r.work}|${r.elements}`;
    if (!rows.has(key)) rows.set(key, { fn: r.fn, work: r.work, size: r.size, elements: r.elements, ratios: new Map() });
    rows.get(key).ratios.set(r.id, r.ratio);
  }
  const versions = new Map(all.map((r) => [r.id, r.version]));
  return { ids, versions, rows: [...rows.values()].map((row) => ({ ...row, ratio: (id) => row.ratios.get(id) })) };
}

/**
 * The machine's own scaling, without this library: a JavaScript loop of ~0.2 s split over the
 * caller and threads - 1 workers against the same loop on one thread (median of 3). On a machine
 * whose other cores are busy this is near 1, and no threaded ratio can be better.
 */
export async function machineScaling(threads) {
  const { Worker } = await import('node:worker_threads');
  const body = 'let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s;';
  const work = new Function('n', body);
  const source = `const { parentPort } = require('node:worker_threads'); const work = new Function('n', ${JSON.stringify(body)}); parentPort.on('message', (n) => parentPort.postMessage(work(n)));`;
  const workers = Array.from({ length: threads - 1 }, () => new Worker(source, { eval: true }));
  const ask = (w, n) => new Promise((resolve) => { w.once('message', resolve); w.postMessage(n); });
  await Promise.all(workers.map((w) => ask(w, 1000)));
  const N = 1e8;
  const ratios = [];
  for (let r = 0; r < 3; r++) {
    let t = performance.now();
    work(N);
    const one = performance.now() - t;
    t = performance.now();
    const replies = workers.map((w) => ask(w, N / threads));
    work(N / threads);
    await Promise.all(replies);
    ratios.push(one / (performance.now() - t));
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return ratios.sort((a, b) => a - b)[1];
}
