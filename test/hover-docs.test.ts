// What an editor shows on hover, asked of TypeScript's language service the way an editor asks
// it: for every method the table implies, a consumer's `act.METHOD` must be documented with what
// it computes, which tensor `saved` is, the options with their defaults and the accuracy bound.
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ELEMENTWISE, ROWWISE } from '../dist/index.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const consumer = `${dir}hover-consumer.ts`;

/** The hover documentation of `act.<method>` in a strict NodeNext consumer of dist/index.js. */
function hoverDocs(methods: string[]): Map<string, string> {
  const lines = ["import { init } from '../dist/index.js';", 'const act = await init();', ...methods.map((m) => `act.${m};`)];
  const text = lines.join('\n');
  const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [consumer],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => ts.ScriptSnapshot.fromString(name === consumer ? text : (ts.sys.readFile(name) ?? '')),
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: (name) => name === consumer || ts.sys.fileExists(name),
    readFile: (name) => (name === consumer ? text : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const docs = new Map<string, string>();
  methods.forEach((m) => {
    const position = text.indexOf(`act.${m};`) + 4;
    const info = service.getQuickInfoAtPosition(consumer, position);
    docs.set(m, ts.displayPartsToString(info?.documentation ?? []));
  });
  return docs;
}

describe('hover documentation, generated from the table', () => {
  const expectations: Array<[method: string, parts: string[]]> = [];
  for (const [name, spec] of Object.entries(ELEMENTWISE)) {
    const options = Object.entries(spec.params).map(([p, param]) => `\`${p}\` (default ${param.default})`);
    if ('variants' in spec) options.push(`\`${spec.variants.option}\``);
    const saved = spec.saved === 'output' ? `\`saved\` is the forward output y = act.${name}(x)` : '`saved` is the forward input x';
    const bound = (ulp: number) => (ulp === 0 ? 'Exact' : `Within ${ulp} ulp`);
    expectations.push([name, [spec.doc.value, bound(spec.bounds.forward), ...options]]);
    expectations.push([`${name}Backward`, ["dx = dy * g'", spec.doc.slope, saved, bound(spec.bounds.backward), ...options]]);
    expectations.push([`${name}Derivative`, [spec.doc.slope, saved, bound(spec.bounds.backward), ...options]]);
    if (spec.saved === 'output') expectations.push([`${name}BackwardFromInput`, ['from the input x', bound(spec.bounds.backward)]]);
  }
  for (const [name, spec] of Object.entries(ROWWISE)) {
    expectations.push([name, [spec.doc.value, '`cols`', `Within ${spec.bounds.forward} ulp`]]);
    expectations.push([`${name}Backward`, [spec.doc.slope, '`y` is the forward output', `Within ${spec.bounds.backward} ulp`]]);
  }
  const docs = hoverDocs(expectations.map(([m]) => m));

  it.each(expectations)('act.%s says what it computes, its saved tensor, options and bound', (method, parts) => {
    const doc = docs.get(method)!;
    for (const part of parts) expect(doc, `${method}: ${doc}`).toContain(part);
  });
});
