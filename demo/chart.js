// Line charts as SVG built element by element (no markup strings, no inline styles, so the page's
// content-security policy has nothing to object to); colours and line styles come from
// style.css through class names.

const SVG = 'http://www.w3.org/2000/svg';
// viewBox units; a card is 250-300 CSS pixels wide, so 12-unit tick labels read at about 10-12 px.
const WIDTH = 300;
const HEIGHT = 200;
const MARGIN = { left: 38, right: 8, top: 8, bottom: 24 };

function el(name, attributes = {}, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.append(node);
  return node;
}

/** Round tick positions (1, 2 or 5 times a power of ten) covering [lo, hi], about `count` of them. */
export function niceTicks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  // Multiplying an integer index (instead of adding steps) keeps 0 exactly 0, not 1e-17.
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) ticks.push(k * step);
  return { ticks, step };
}

function formatTick(value, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const text = Math.abs(value) < step * 1e-6 ? '0' : value.toFixed(decimals);
  return text.replace('-', '\u2212');
}

/** The smallest and largest finite values of the series, always spanning 0 so the x axis shows. */
function valueRange(series) {
  let lo = 0;
  let hi = 0;
  for (const { values } of series) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (hi - lo < 1e-12) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

/** A path through the points, broken where a value is not finite. */
function pathData(xs, values, sx, sy) {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${sx(xs[i]).toFixed(2)} ${sy(v).toFixed(2)}`;
    pen = true;
  }
  return d;
}

/**
 * Draws the curves into `svg`, replacing what it held.
 * @param {SVGSVGElement} svg
 * @param {{ xs: ArrayLike<number>, domain: [number, number],
 *           series: { values: ArrayLike<number>, className: string }[] }} data
 */
export function drawChart(svg, { xs, domain, series }) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  const [x0, x1] = domain;
  const [y0, y1] = valueRange(series);
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const sx = (x) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const sy = (y) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);

  const grid = el('g', { class: 'grid' }, svg);
  const labels = el('g', { class: 'tick-labels' }, svg);
  const xTicks = niceTicks(x0, x1, 6);
  for (const t of xTicks.ticks) {
    el('line', { x1: sx(t), x2: sx(t), y1: top, y2: bottom }, grid);
    el('text', { x: sx(t), y: bottom + 16, 'text-anchor': 'middle' }, labels).textContent = formatTick(t, xTicks.step);
  }
  const yTicks = niceTicks(y0, y1, 5);
  for (const t of yTicks.ticks) {
    el('line', { x1: left, x2: right, y1: sy(t), y2: sy(t) }, grid);
    el('text', { x: left - 5, y: sy(t) + 4, 'text-anchor': 'end' }, labels).textContent = formatTick(t, yTicks.step);
  }
  el('rect', { class: 'frame', x: left, y: top, width: right - left, height: bottom - top }, svg);

  // The zero lines, where the range includes zero: the axes a derivative is read against.
  const axes = el('g', { class: 'zero' }, svg);
  if (y0 <= 0 && y1 >= 0) el('line', { x1: left, x2: right, y1: sy(0), y2: sy(0) }, axes);
  if (x0 <= 0 && x1 >= 0) el('line', { x1: sx(0), x2: sx(0), y1: top, y2: bottom }, axes);

  for (const { values, className } of series) {
    el('path', { class: `curve ${className}`, d: pathData(xs, values, sx, sy) }, svg);
  }
}
