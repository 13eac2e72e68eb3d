// The demo page: picks a build, plots every activation of the table with its derivative, and
// times the library against plain JavaScript on request. Tests wait for `window.__demoReady`
// (and body[data-ready]), set once the charts of the current build are drawn.
import { init, supportedBackends, ELEMENTWISE, BACKENDS } from './library.js';
import { plotsOf, samplePoints, evaluate } from './plots.js';
import { drawChart } from './chart.js';
import { timeAgainstPlainJs } from './timing.js';

const SAMPLES = 601;
const $ = (id) => document.getElementById(id);
const state = { act: null, charts: [] };

function setReady(ready) {
  window.__demoReady = ready;
  document.body.dataset.ready = String(ready);
}

function showError(target, error) {
  target.textContent = error ? String(error.message ?? error) : '';
  target.hidden = !error;
}

function html(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The x range from the two inputs, or an error saying what is wrong with it. */
function readRange() {
  const lo = $('xmin').valueAsNumber;
  const hi = $('xmax').valueAsNumber;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('x range: both ends must be numbers');
  if (!(lo < hi)) throw new RangeError(`x range: "from" must be below "to" (got ${lo} and ${hi})`);
  if (Math.max(Math.abs(lo), Math.abs(hi)) > 1e30) throw new RangeError('x range: keep both ends within ±1e30');
  return [lo, hi];
}

function legendItem(className, text) {
  const item = html('span', { class: 'legend-item' });
  item.append(html('span', { class: `swatch ${className}`, 'aria-hidden': 'true' }), text);
  return item;
}

/** One card per kernel: title, legend, the chart, and inputs for the activation's parameters. */
function createCard(plot) {
  const figure = html('figure', { class: 'chart', 'data-kernel': plot.kernel });
  const caption = html('figcaption');
  const title = html('span', { class: 'title' });
  title.append(html('code', {}, plot.name));
  const legend = html('span', { class: 'legend' });
  legend.append(legendItem('fn', 'f(x)'), legendItem('dfn', 'f′(x)'));
  caption.append(title, legend);
  const subtitle = html('p', { class: 'subtitle variant' }, plot.label);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${plot.name}${plot.label ? ` (${plot.label})` : ''} and its derivative`);
  figure.append(caption, subtitle, svg);

  const inputs = {};
  const names = Object.keys(plot.params);
  if (names.length) {
    const params = html('div', { class: 'params' });
    for (const name of names) {
      const label = html('label', {}, `${name} `);
      const input = html('input', { type: 'number', step: 'any', value: plot.params[name].default, 'data-param': name });
      label.append(input);
      params.append(label);
      inputs[name] = input;
    }
    figure.append(params);
  }
  const error = html('p', { class: 'error chart-error', role: 'alert' });
  error.hidden = true;
  figure.append(error);

  const card = { plot, figure, svg, inputs, error };
  for (const input of Object.values(inputs)) input.addEventListener('input', () => drawCard(card));
  return card;
}

/** Draws one card; a parameter the library refuses is shown on the card, not thrown. */
function drawCard(card, range) {
  const params = {};
  for (const [name, input] of Object.entries(card.inputs)) params[name] = input.valueAsNumber;
  try {
    range ??= readRange();
    const xs = samplePoints(range[0], range[1], SAMPLES);
    const { ys, slopes } = evaluate(state.act, card.plot, xs, params);
    drawChart(card.svg, { xs, domain: range, series: [{ values: ys, className: 'fn' }, { values: slopes, className: 'dfn' }] });
    showError(card.error, null);
  } catch (error) {
    // The library's own validation message (e.g. "beta: expected a nonzero finite number").
    showError(card.error, error);
  }
}

function drawAll() {
  let range;
  try {
    range = readRange();
  } catch (error) {
    showError($('error'), error);
    return;
  }
  showError($('error'), null);
  for (const card of state.charts) drawCard(card, range);
}

async function useBuild(backend) {
  setReady(false);
  $('backend').disabled = true;
  $('time-it').disabled = true;
  try {
    state.act = await init(backend ? { backend } : {});
    const running = $('running');
    running.textContent = state.act.backend;
    running.dataset.backend = state.act.backend;
    $('backend').value = state.act.backend;
    // Speeds belong to the build they were measured on.
    $('timing-table').hidden = true;
    $('timing-status').textContent = '';
    drawAll();
    setReady(true);
  } catch (error) {
    console.error(error);
    showError($('error'), error);
  } finally {
    $('backend').disabled = false;
    $('time-it').disabled = state.act === null;
  }
}

function formatRate(rate) {
  return rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3);
}

async function timeIt() {
  const button = $('time-it');
  button.disabled = true;
  $('backend').disabled = true;
  const status = $('timing-status');
  try {
    const rows = await timeAgainstPlainJs(state.act, { onProgress: (text) => (status.textContent = text) });
    const body = $('timing-table').tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = html('tr');
      tr.append(
        html('th', { scope: 'row' }, row.name),
        html('td', {}, `${formatRate(row.library)} M/s`),
        html('td', {}, `${formatRate(row.plain)} M/s`),
        html('td', { class: 'ratio', 'data-ratio': row.ratio }, `${row.ratio.toFixed(1)}×`),
      );
      body.append(tr);
    }
    document.querySelector('#timing-table .build-name').textContent = state.act.backend;
    $('timing-table').hidden = false;
    status.textContent = 'million elements per second; ratio = library ÷ JavaScript loop';
  } catch (error) {
    console.error(error);
    status.textContent = `timing failed: ${error.message ?? error}`;
  } finally {
    button.disabled = false;
    $('backend').disabled = false;
  }
}

function setUp() {
  const supported = supportedBackends();
  const select = $('backend');
  for (const backend of BACKENDS) {
    const ok = supported.includes(backend);
    const option = html('option', { value: backend }, ok ? backend : `${backend} (not supported here)`);
    option.disabled = !ok;
    select.append(option);
  }
  $('supported').textContent = supported.join(', ');
  select.addEventListener('change', () => useBuild(select.value));
  for (const id of ['xmin', 'xmax']) $(id).addEventListener('change', drawAll);
  $('time-it').addEventListener('click', timeIt);

  state.charts = plotsOf(ELEMENTWISE).map(createCard);
  $('charts').append(...state.charts.map((card) => card.figure));
  return useBuild(undefined);
}

setUp();
