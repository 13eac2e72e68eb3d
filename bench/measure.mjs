// Timing one cell: every contestant warmed up, then interleaved in rounds (the starting
// contestant rotates each round) so that drift of the machine hits all of them alike. Each
// sample times a batch of calls long enough to dwarf timer resolution and call overhead.

import { summarize } from './stats.mjs';

const now = () => performance.now();

async function timeBatch(runner, calls, isAsync) {
  const t0 = now();
  if (isAsync) for (let i = 0; i < calls; i++) await runner.run();
  else for (let i = 0; i < calls; i++) runner.run();
  return (now() - t0) * 1e6; // ns
}

/**
 * entries: [{ contestant, runner }]. Returns { [contestant.id]: summary & { nsSamples } }.
 * plan: { budgetMs, minRounds, maxRounds, sampleMs, warmupMs }.
 */
export async function measureCell(entries, elements, plan) {
  const batch = [];
  // Large cells: one call already streams tens of MB, so fewer warm-up calls and rounds suffice.
  const large = elements >= 1e6;
  const minRounds = large ? Math.min(3, plan.minRounds) : plan.minRounds;
  // Warm-up: run each contestant for warmupMs (at least twice) so the JIT and caches settle,
  // and learn how many calls fill one sample.
  const failed = {};
  for (const { contestant, runner } of [...entries]) {
    await contestant.before?.();
    let calls = 0;
    const t0 = now();
    try {
      do {
        await timeBatch(runner, 1, contestant.async);
        calls++;
      } while (now() - t0 < plan.warmupMs || calls < (large ? 1 : 2));
    } catch (error) {
      // A contestant that throws is reported failed in this cell, with the reason; the rest go on.
      failed[contestant.id] = { status: 'failed', reason: error?.message ?? String(error) };
      entries = entries.filter((e) => e.contestant !== contestant);
      continue;
    }
    const perCallMs = (now() - t0) / calls;
    batch.push(Math.max(1, Math.round(plan.sampleMs / perCallMs)));
  }
  const samples = entries.map(() => []);
  const started = now();
  for (let round = 0; round < plan.maxRounds; round++) {
    if (round >= minRounds && now() - started > plan.budgetMs) break;
    for (let k = 0; k < entries.length; k++) {
      const i = (k + round) % entries.length;
      const { contestant, runner } = entries[i];
      await contestant.before?.();
      samples[i].push((await timeBatch(runner, batch[i], contestant.async)) / batch[i]);
    }
  }
  const out = { ...failed };
  entries.forEach(({ contestant }, i) => {
    out[contestant.id] = { status: 'ok', ...summarize(samples[i], elements), callsPerSample: batch[i], nsSamples: samples[i] };
  });
  return out;
}
