// A self-contained HTML report (no network: inline SVG, inline CSS): machine and versions,
// PASS/FAIL targets, throughput against size per function and work with every contestant,
// speedup bars, and the accuracy tables.

import { speedup } from './stats.mjs';
import { shortName } from './report-text.mjs';
import { scalingGrid } from './scaling.mjs';

// Axis labels: powers of ten as 1e4, other sizes as written (65536, not 1e4.8).
function sizeLabel(n) {
  const exponent = Math.log10(n);
  return n >= 1e4 && Number.isInteger(exponent) ? `1e${exponent}` : String(n);
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#8c6d31', '#843c39'];

export const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Log-log line chart of throughput against element count, one line per contestant. */
export function throughputChart(title, series, { width = 520, height = 260 } = {}) {
  const pts = series.flatMap((s) => s.points);
  if (pts.length === 0) return `<figure><figcaption>${escapeHtml(title)}</figcaption><p>no data</p></figure>`;
  const m = { l: 50, r: 10, t: 10, b: 30 };
  const xs = pts.map((p) => Math.log10(p.n));
  const ys = pts.map((p) => Math.log10(p.v));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs) + 1e-9];
  const [y0, y1] = [Math.floor(Math.min(...ys)), Math.ceil(Math.max(...ys) + 1e-9)];
  const px = (n) => m.l + ((Math.log10(n) - x0) / (x1 - x0 || 1)) * (width - m.l - m.r);
  const py = (v) => height - m.b - ((Math.log10(v) - y0) / (y1 - y0 || 1)) * (height - m.t - m.b);
  const grid = [];
  for (let e = y0; e <= y1; e++) grid.push(`<line x1="${m.l}" x2="${width - m.r}" y1="${py(10 ** e)}" y2="${py(10 ** e)}" stroke="#ddd"/><text x="${m.l - 4}" y="${py(10 ** e) + 4}" text-anchor="end">${10 ** e >= 1 ? 10 ** e : (10 ** e).toPrecision(1)}</text>`);
  const sizes = [...new Set(pts.map((p) => p.n))].sort((a, b) => a - b);
  for (const n of sizes) grid.push(`<text x="${px(n)}" y="${height - m.b + 14}" text-anchor="middle">${sizeLabel(n)}</text>`);
  const lines = series.map((s) => {
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${px(p.n).toFixed(1)},${py(p.v).toFixed(1)}`).join('');
    const dots = s.points.map((p) => `<circle cx="${px(p.n).toFixed(1)}" cy="${py(p.v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${escapeHtml(s.name)}: ${p.v.toPrecision(3)} M el/s at ${p.n}</title></circle>`).join('');
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>${dots}`;
  });
  const legend = series.map((s) => `<span style="color:${s.color}">&#9632; ${escapeHtml(s.name)}</span>`).join(' ');
  return `<figure><figcaption>${escapeHtml(title)} <small>(million elements/s, log-log)</small></figcaption>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="10" font-family="sans-serif">${grid.join('')}${lines.join('')}</svg>
<div class="legend">${legend}</div></figure>`;
}

/**
 * Horizontal bars of speedups on a log scale centred on 1x: the labels have a column of their
 * own left of the plot, so a ratio below 1 (a bar growing leftward from the 1x line) never covers
 * one; each value is written where its bar ends on the right of the line, or just right of the
 * line for ratios below 1. Gridlines at 1-2-5 steps name the scale.
 */
export function speedupBars(title, bars, { width = 560 } = {}) {
  const valid = bars.filter((b) => Number.isFinite(b.value) && b.value > 0);
  if (valid.length === 0) return '';
  const rowH = 16;
  const top = 16;
  const height = valid.length * rowH + top + 6;
  const labelW = 120;
  const valueW = 50;
  const half = Math.max(Math.log10(2), ...valid.map((b) => Math.abs(Math.log10(b.value)))) * 1.05;
  const plotL = labelW + 8;
  const plotR = width - valueW;
  const mid = (plotL + plotR) / 2;
  const px = (v) => mid + (Math.log10(v) / half) * ((plotR - plotL) / 2);
  const ticks = [];
  for (let e = -6; e <= 6; e++) for (const m of [1, 2, 5]) {
    const v = m * 10 ** e;
    if (Math.abs(Math.log10(v)) <= half) ticks.push(v);
  }
  const grid = ticks.map((v) => `<line x1="${px(v)}" x2="${px(v)}" y1="${top - 4}" y2="${height}" stroke="${v === 1 ? '#333' : '#e4e4e4'}"/>
<text x="${px(v)}" y="${top - 6}" text-anchor="middle" fill="#666">${v >= 1 ? v : v.toPrecision(1)}x</text>`);
  const rows = valid.map((b, i) => {
    const y = top + i * rowH;
    const end = px(b.value);
    return `<text x="${labelW}" y="${y + 11}" text-anchor="end">${escapeHtml(b.label)}</text>
<rect x="${Math.min(end, mid)}" y="${y + 2}" width="${Math.max(1, Math.abs(end - mid))}" height="${rowH - 4}" fill="${b.value >= 1 ? '#2ca02c' : '#d62728'}"/>
<text x="${Math.max(end, mid) + 4}" y="${y + 11}">${b.value.toFixed(2)}x</text>`;
  });
  return `<figure><figcaption>${escapeHtml(title)} <small>(log scale)</small></figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="10" font-family="sans-serif">
${grid.join('')}${rows.join('')}</svg></figure>`;
}

function table(head, rows) {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Thread scaling per function: one row per cell a threaded contestant ran, a column per contestant. */
function scalingSection(results) {
  const { ids, versions, rows } = scalingGrid(results);
  if (rows.length === 0) return '';
  const body = rows.map((row) => [row.fn, row.work, String(row.elements), ...ids.map((id) => {
    const r = row.ratio(id);
    return r === undefined ? '-' : `${r.toFixed(2)}x`;
  })]);
  return `<h2>Thread scaling</h2><p>Time on one thread over time on N threads, same build and kind of arguments, in one run (${escapeHtml(ids.map((id) => `${shortName(id)}: ${versions.get(id)}`).join('; '))}).</p>${table(['function', 'work', 'n', ...ids.map(shortName)], body)}`;
}

export function htmlReport(results) {
  const m = results.machine;
  const color = new Map(results.contestants.map((c, i) => [c.id, COLORS[i % COLORS.length]]));
  const charts = [];
  for (const work of results.works) {
    for (const fn of results.functions) {
      const cells = results.cells.filter((c) => c.fn === fn.id && c.work === work);
      if (cells.length === 0) continue;
      const series = results.contestants
        .map((c) => ({
          name: shortName(c.id),
          color: color.get(c.id),
          dashed: c.family === 'limit',
          points: cells.filter((cell) => cell.results[c.id]?.status === 'ok').map((cell) => ({ n: cell.elements, v: cell.results[c.id].melPerSec })),
        }))
        .filter((s) => s.points.length);
      charts.push(throughputChart(`${fn.id} — ${work}`, series));
    }
  }
  const largest = Math.max(...results.cells.map((c) => c.size));
  const speedups = [];
  for (const [against, label] of [['plain-js', 'plain JavaScript'], ['tfjs-wasm-op', 'TF.js wasm (op alone / tf.grad)'], ['copy-wasm', 'the wasm copy loop']]) {
    for (const size of [65536, largest]) {
      const bars = results.cells
        .filter((c) => c.size === size && c.work === 'forward')
        .map((c) => ({ label: c.fn, value: speedup(c.results['lib-simd-resident'], c.results[against]) }));
      speedups.push(speedupBars(`simd build, resident buffers, forward: speedup over ${label} at ${size} elements`, bars));
    }
  }
  const failures = results.contestants.filter((c) => c.status === 'failed');
  const cellFailures = results.cells.flatMap((c) => Object.entries(c.results).filter(([, r]) => r.status === 'failed' && !failures.some((f) => f.id === r.id)).map(([id, r]) => `${id} on ${c.fn} ${c.work} ${c.elements}: ${r.reason}`));
  const accIds = results.accuracy ? [...new Set(results.accuracy.errors.map((e) => e.contestant))] : [];
  const accKeys = results.accuracy ? [...new Set(results.accuracy.errors.map((e) => `${e.fn}|${e.work}`))] : [];
  const accRows = accKeys.map((k) => {
    const [fn, work] = k.split('|');
    return [fn, work, ...accIds.map((id) => {
      const e = results.accuracy.errors.find((a) => a.fn === fn && a.work === work && a.contestant === id);
      return !e ? '-' : e.error ? `error: ${e.error}` : String(e.maxUlp);
    })];
  });
  const specialRows = (results.accuracy?.specials ?? []).map((s) => [s.fn, shortName(s.contestant), `[${s.input.join(', ')}]`, Array.isArray(s.output) ? `[${s.output.map((v) => (Object.is(v, -0) ? '-0' : Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toPrecision(6))).join(', ')}]` : s.output]);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>simd-activations benchmark ${escapeHtml(results.started)}</title>
<style>body{font:13px/1.4 system-ui,sans-serif;margin:20px;max-width:1200px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}
figure{display:inline-block;margin:6px;vertical-align:top}figcaption{font-weight:600}.legend{font-size:11px;max-width:520px}.PASS{color:#2a7d2a}.FAIL{color:#c00;font-weight:700}.SKIP{color:#888}.failed{color:#c00;font-weight:700}</style></head><body>
<h1>simd-activations benchmark</h1>
<p>${escapeHtml(results.started)} · ${results.seconds.toFixed(0)} s · ${escapeHtml(m.cpu)}, ${m.cores} cores, ${escapeHtml(m.os)} · Node ${escapeHtml(m.node)} ${escapeHtml(m.execArgv.join(' '))} · builds this engine runs: ${escapeHtml(m.supportedBuilds.join(', '))}</p>
<h2>Contestants</h2>${table(['id', 'label', 'version / mode', 'status'], results.contestants.map((c) => [c.id, c.label, `${c.version ?? ''} · ${c.mode ?? ''}`, c.status === 'failed' ? `FAILED: ${c.reason}` : 'ok']))}
${failures.length || cellFailures.length ? `<p class="failed">Failures: ${escapeHtml([...failures.map((f) => `${f.id}: ${f.reason}`), ...cellFailures].join(' · '))}</p>` : ''}
<h2>Targets</h2><ul>${results.targets.map((t) => `<li class="${t.status}">${t.status} — ${escapeHtml(t.label)}: ${escapeHtml(t.detail)}</li>`).join('')}</ul>
<h2>Speedups</h2>${speedups.join('')}
${scalingSection(results)}
<h2>Throughput against size</h2><p>Dashed lines: the streaming limit (copy loops). Medians of ${results.options.plan.minRounds}+ interleaved rounds; the JSON file holds every sample and the interquartile ranges.</p>${charts.join('')}
${results.accuracy ? `<h2>Accuracy: max ULP error against float64</h2>${table(['function', 'work', ...accIds.map(shortName)], accRows)}<h3>Special values (forward)</h3>${table(['function', 'contestant', 'input', 'output'], specialRows)}` : ''}
</body></html>
`;
}
