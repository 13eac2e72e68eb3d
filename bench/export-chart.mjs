#!/usr/bin/env node
// Writes one chart of an HTML report as a standalone SVG (title, chart, legend), for the README:
//   node bench/export-chart.mjs bench/results/latest.html "sigmoid — forward" docs/bench-sigmoid-forward.svg
import { readFileSync, writeFileSync } from 'node:fs';

const [reportPath, caption, outPath] = process.argv.slice(2);
if (!reportPath || !caption || !outPath) {
  console.error('usage: node bench/export-chart.mjs REPORT.html "CAPTION" OUT.svg');
  process.exit(2);
}
const html = readFileSync(reportPath, 'utf8');
const start = html.indexOf(`<figcaption>${caption}`);
if (start < 0) throw new Error(`no chart captioned "${caption}" in ${reportPath}`);
const figure = html.slice(start, html.indexOf('</figure>', start));
const chart = figure.slice(figure.indexOf('<svg'), figure.indexOf('</svg>') + 6);
const title = figure.slice('<figcaption>'.length, figure.indexOf('</figcaption>')).replace(/<[^>]+>/g, '');
const legend = [...figure.matchAll(/<span style="color:(#[0-9a-f]+)">&#9632; ([^<]+)<\/span>/g)].map((m) => ({ color: m[1], label: m[2] }));
const width = Number(/width="(\d+)"/.exec(chart)?.[1] ?? 520);
const height = Number(/height="(\d+)"/.exec(chart)?.[1] ?? 260);
const rows = Math.ceil(legend.length / 5);
const items = legend
  .map(({ color, label }, i) => `<g transform="translate(${10 + (i % 5) * 105},${height + 40 + Math.floor(i / 5) * 16})"><rect width="10" height="10" fill="${color}"/><text x="14" y="9">${label}</text></g>`)
  .join('');
writeFileSync(
  outPath,
  `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, 540) + 20}" height="${height + 50 + rows * 16}" font-family="sans-serif" font-size="11">` +
    `<rect width="100%" height="100%" fill="#fff"/><text x="10" y="16" font-size="13">${title}</text>` +
    `<g transform="translate(10,26)">${chart.replace('<svg', '<svg x="0" y="0"')}</g>${items}</svg>\n`,
);
console.log(`wrote ${outPath}`);
