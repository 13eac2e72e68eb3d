// The Iris example (examples/iris.mjs), shortened: both networks must still reach 95% training
// accuracy, and the loss plot must be written where --out says.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('trains both Iris networks to at least 95% training accuracy and plots the loss', () => {
  const out = mkdtempSync(join(tmpdir(), 'iris-'));
  try {
    const script = fileURLToPath(new URL('../examples/iris.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--epochs-a', '600', '--epochs-b', '200', '--out', out, '--json'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { accuracyA: number; accuracyB: number; lossA: number; lossB: number; svg: string };
    expect(r.accuracyA).toBeGreaterThanOrEqual(0.95);
    expect(r.accuracyB).toBeGreaterThanOrEqual(0.95);
    expect(r.svg).toBe(join(out, 'iris-loss.svg'));
    expect(existsSync(r.svg)).toBe(true);
    const svg = readFileSync(r.svg, 'utf8');
    expect(svg.match(/<polyline /g)?.length).toBe(2);
    // Seeded and deterministic: a second run gives the same numbers.
    const again = spawnSync(process.execPath, [script, '--epochs-a', '600', '--epochs-b', '200', '--out', out, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(again.stdout.trim().split('\n').pop()!)).toEqual(r);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
