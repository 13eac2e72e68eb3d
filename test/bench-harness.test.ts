// Tests of the benchmark harness itself: statistics, ULP distance, the ONNX encoder, report
// generation, a failed contestant being reported, and a reduced quick run end to end.
// No timed assertions: speed is only ever reported as ratios.
import { describe, expect, it } from 'vitest';
// @ts-ignore plain ESM modules without type declarations
import { quantileSorted, summarize, speedup } from '../bench/stats.mjs';
// @ts-ignore
import { ulpDistance } from '../bench/ulp.mjs';
// @ts-ignore
import { singleNodeModel } from '../bench/onnx-model.mjs';
// @ts-ignore
import { parseOptions } from '../bench/options.mjs';
// @ts-ignore
import { runBenchmark, planCells } from '../bench/harness.mjs';
// @ts-ignore
import { selectFunctions } from '../bench/functions.mjs';
// @ts-ignore
import { htmlReport, speedupBars } from '../bench/report-html.mjs';
// @ts-ignore
import { textReport } from '../bench/report-text.mjs';
// @ts-ignore
import { libraryContestant } from '../bench/contestants/library.mjs';
// @ts-ignore
import { plainJsContestant } from '../bench/contestants/plain-js.mjs';

describe('statistics', () => {
  it('median, quartiles and throughput', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    const s = summarize([400, 100, 300, 200, 500], 1000);
    expect(s.medianNs).toBe(300);
    expect(s.q1Ns).toBe(200);
    expect(s.q3Ns).toBe(400);
    expect(s.iqrNs).toBe(200);
    expect(s.nsPerElement).toBeCloseTo(0.3);
    expect(s.melPerSec).toBeCloseTo(1000 / 300 * 1e3);
    expect(speedup({ medianNs: 10 }, { medianNs: 30 })).toBe(3);
    expect(speedup(undefined, { medianNs: 30 })).toBeNaN();
  });
  it('ULP distance orders floats, -0 equals +0, NaN handled', () => {
    expect(ulpDistance(0, -0)).toBe(0);
    expect(ulpDistance(1, Math.fround(1 + 2 ** -23))).toBe(1);
    expect(ulpDistance(-1e-45, 1e-45)).toBe(2);
    expect(ulpDistance(NaN, NaN)).toBe(0);
    expect(ulpDistance(NaN, 1)).toBe(Infinity);
  });
  it('encodes an ONNX model as protobuf bytes', () => {
    const bytes = singleNodeModel({ opType: 'Sigmoid' });
    expect(bytes[0]).toBe(0x08); // field 1 (ir_version), varint
    expect(new TextDecoder().decode(bytes)).toContain('Sigmoid');
  });
});

describe('harness', () => {
  it('reports a contestant that fails to start, loudly, in every cell', async () => {
    const broken = { ...plainJsContestant('x'), id: 'broken', label: 'broken peer', async setup() { throw new Error('no such runtime'); } };
    const options = parseOptions(['--quick', '--ops', 'relu', '--sizes', '64']);
    const results = await runBenchmark(options, { contestants: [plainJsContestant('x'), broken] });
    expect(results.contestants.find((c: any) => c.id === 'broken')).toMatchObject({ status: 'failed', reason: 'no such runtime' });
    expect(results.cells[0].results.broken).toMatchObject({ status: 'failed', reason: 'no such runtime' });
    expect(textReport(results)).toContain('!! FAILED broken');
    expect(htmlReport(results)).toContain('FAILED: no such runtime');
  });

  it('quick mode end to end on a reduced set: samples, targets, reports', async () => {
    const options = parseOptions(['--quick', '--accuracy', '--ops', 'sigmoid,relu,softmax/10', '--sizes', '16,256,65536', '--builds', 'simd']);
    const results = await runBenchmark(options, {
      contestants: [libraryContestant('simd', 'resident', 't'), libraryContestant('simd', 'plain', 't'), plainJsContestant('t')],
    });
    expect(results.cells.length).toBe(3 * 3);
    const cell = results.cells.find((c: any) => c.fn === 'sigmoid' && c.size === 65536);
    expect(cell.results['lib-simd-resident'].status).toBe('ok');
    expect(cell.results['lib-simd-resident'].nsSamples.length).toBeGreaterThanOrEqual(5);
    expect(results.machine.cores).toBeGreaterThan(0);
    const target = results.targets.find((t: any) => t.label.includes('sigmoid resident vs plain JS'));
    expect(['PASS', 'FAIL']).toContain(target.status);
    // Accuracy: the library stays within a few ULP on sigmoid, and plain JS (float64 math) too.
    const acc = results.accuracy.errors.find((e: any) => e.fn === 'sigmoid' && e.contestant === 'lib-simd-resident');
    expect(acc.maxUlp).toBeLessThanOrEqual(8);
    expect(results.accuracy.specials.some((s: any) => s.fn === 'softmax/10' && s.input.length === 3)).toBe(true);
    const html = htmlReport(results);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  }, 60_000);

  it('ratios between two passes of the library come from paired cells: both passes in the same rounds', async () => {
    const options = parseOptions(['--quick', '--ops', 'sigmoid,gelu:tanh,silu', '--sizes', '256,65536', '--builds', 'simd']);
    const results = await runBenchmark(options, { contestants: [libraryContestant('simd', 'resident', 't')] });
    // The pairs whose functions were selected, at 65,536 only (the paired sizes start there).
    const names = results.pairs.map((p: any) => `${p.a} / ${p.b} @ ${p.size}`).sort();
    expect(names).toEqual([
      'gelu:tanh,backward-saved / gelu:tanh,forward @ 65536',
      'gelu:tanh,forward / sigmoid,forward @ 65536',
      'silu,backward-saved / silu,forward @ 65536',
    ]);
    for (const p of results.pairs) expect(p.ratio).toBeGreaterThan(0);
    // The target line reads the paired ratio, not the two cells'.
    const tanhForm = results.pairs.find((p: any) => p.a[0] === 'gelu:tanh' && p.a[1] === 'forward');
    const target = results.targets.find((t: any) => t.label.includes('gelu (tanh form) forward vs sigmoid'));
    expect(target.worst).toBe(tanhForm.ratio);
    expect(textReport(results)).toContain('gelu:tanh forward / sigmoid forward');
  }, 60_000);

  it('the quick plan measures the backward passes its targets name, and only those', () => {
    const o = parseOptions(['--quick']);
    const cells = planCells(selectFunctions(['sigmoid', 'elu', 'silu']), o.works, o.sizes, o);
    const works = (id: string) => [...new Set(cells.filter((c: any) => c.fn.id === id).map((c: any) => c.work))].sort();
    expect(works('sigmoid')).toEqual(['forward']);
    expect(works('elu')).toEqual(['backward', 'forward']);
    expect(works('silu')).toEqual(['backward-saved', 'forward']);
    expect(cells.some((c: any) => c.work !== 'forward' && c.size > 1e6)).toBe(false);
  });

  it('threaded contestants: thread-scaling cells for the library alone, a scaling table, a machine check; results without out are new arrays', async () => {
    const options = parseOptions(['--ops', 'sigmoid,relu', '--works', 'forward', '--contestants', 'lib-resident,lib-new,lib-threads,plain-js', '--builds', 'simd', '--no-accuracy']);
    // The sizes (up to 10^7) are the full plan's; a reduced set here keeps the test short.
    options.sizes = [1000];
    options.threadCells = [['sigmoid', 4096], ['relu', 2048]];
    options.plan = { budgetMs: 5, minRounds: 3, maxRounds: 3, sampleMs: 0.5, warmupMs: 1, globalWarmupMs: 1 };
    const contestants = [
      libraryContestant('simd', 'resident', 't'), libraryContestant('simd', 'new', 't'), libraryContestant('simd', 'resident', 't', 2), plainJsContestant('t'),
    ];
    const results = await runBenchmark(options, { contestants });
    for (const c of contestants) await (c as any).teardown?.();
    const cell = results.cells.find((c: any) => c.fn === 'sigmoid' && c.elements === 4096);
    expect(cell.results['lib-simd-resident-t2'].status).toBe('ok');
    expect(cell.results['plain-js']).toMatchObject({ status: 'n/a' });
    expect(results.cells.find((c: any) => c.fn === 'relu' && c.elements === 1000).results['plain-js'].status).toBe('ok');
    expect(results.machine.parallelCheck.ratio).toBeGreaterThan(0);
    expect(textReport(results)).toMatch(/Thread scaling[^\n]*\n[^\n]*simd\.t2[\s\S]*sigmoid\s+forward\s+4096\s+\d+\.\d\d/);
    expect(htmlReport(results)).toContain('<h2>Thread scaling</h2>');
    expect(results.targets.find((t: any) => t.label.includes('sigmoid at 4000000: 2 threads vs 1')).status).toBe('SKIP');
    // 'new': each call returns a fresh Float32Array with the result.
    const lib = libraryContestant('simd', 'new', 't');
    await lib.setup();
    const fns = selectFunctions(['sigmoid']);
    const runner = await lib.prepare(fns[0], 'forward', { x: Float32Array.from([0, 1]) });
    const a = runner.run();
    const b = runner.run();
    expect(a).not.toBe(b);
    const [y0, y1] = runner.result();
    expect(y0).toBe(0.5);
    expect(y1).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    runner.dispose();
  }, 60_000);
});

describe('speed-up bars', () => {
  it('are drawn on a log scale centred on 1x, and no bar covers a label', () => {
    const svg: string = speedupBars('t', [{ label: 'fast', value: 20 }, { label: 'slow', value: 0.05 }, { label: 'even', value: 1 }]);
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[1]) + Number(m[2])]);
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="end">/g)].map((m) => Number(m[1]));
    expect(labels).toHaveLength(3);
    const one = Number(/<line x1="([\d.]+)"[^>]*stroke="#333"/.exec(svg)![1]);
    // 20x and 0.05x are the same distance from the 1x line, on either side.
    expect(rects[0]![1] - one).toBeCloseTo(one - rects[1]![0], 6);
    for (const [left] of rects) for (const labelEnd of labels) expect(left).toBeGreaterThan(labelEnd);
  });
});

describe('accuracy columns', () => {
  // @ts-ignore plain ESM modules without type declarations
  const load = async () => ({ ...(await import('../bench/accuracy.mjs')), ...(await import('../bench/functions.mjs')), ...(await import('../bench/reference.mjs')), ...(await import('../dist/table.js')) });

  it('the reference slope from x does not cancel where sigmoid/tanh round to +-1 in float64', async () => {
    const { referenceResult, selectFunctions } = await load();
    for (const fn of selectFunctions(['sigmoid', 'tanh'])) {
      const x = Float32Array.from([40, -40, 17]);
      const dx = referenceResult(fn, 'backward', x, Float32Array.from([1, 1, 1]));
      // sigmoid'(40) = 4.2e-18 and tanh'(40) = 7e-35 are normal float32 values, not 0.
      for (const v of dx) expect(v).toBeGreaterThan(0);
    }
  });

  it('the library stays within its table bounds under the tests\' rules; real peer errors still show', async () => {
    const { measureAccuracy, selectFunctions, ELEMENTWISE, ROWWISE } = await load();
    const lib = libraryContestant('simd', 'resident', 't');
    const js = plainJsContestant('t');
    await lib.setup();
    const fns = selectFunctions(['sigmoid', 'tanh', 'gelu', 'silu', 'mish', 'hardSwish', 'softmax/10', 'logSoftmax/10']);
    const { errors } = await measureAccuracy(fns, ['forward', 'backward', 'backward-saved'], [lib, js]);
    for (const fn of fns) {
      const spec = fn.kind === 'rowwise' ? ROWWISE[fn.name] : ELEMENTWISE[fn.name];
      const of = (work: string, id = lib.id) => errors.find((e: any) => e.fn === fn.id && e.work === work && e.contestant === id);
      expect(of('forward').maxUlp, `${fn.id} forward`).toBeLessThanOrEqual(spec.bounds.forward);
      expect(of('backward-saved').maxUlp, `${fn.id} backward-saved`).toBeLessThanOrEqual(spec.bounds.backward);
      // (x, dy) -> dx with the forward recomputed is the backward pass alone where x is saved; where
      // the output is saved it starts from the rounded output and is judged against g'(x) exactly.
      if (fn.saved === 'input') expect(of('backward').maxUlp, `${fn.id} backward`).toBeLessThanOrEqual(spec.bounds.backward);
    }
    // Not hidden by the rules: plain JS 0.5 x (1 + erf(x / sqrt 2)) cancels for x << 0, and its
    // sigmoid slope s (1 - s) cancels for x >> 0.
    expect(errors.find((e: any) => e.fn === 'gelu' && e.work === 'forward' && e.contestant === 'plain-js').maxUlp).toBeGreaterThan(1e6);
    expect(errors.find((e: any) => e.fn === 'sigmoid' && e.work === 'backward' && e.contestant === 'plain-js').maxUlp).toBeGreaterThan(1e6);
  }, 60_000);
});
