// Command-line options of the harness and the default and quick plans.

// 10^7 is measured by --quick (its copy-limit targets) and on request: slow peers take ~1 s per call there.
export const DEFAULT_SIZES = [16, 1000, 10000, 65536, 1000000];
export const QUICK_SIZES = [16, 256, 65536, 10000000];
// The quick plan checks the library against its own baselines (issue 2, item 7), and against
// TF.js wasm only where issue 10 names it (PEER_OPS_QUICK).
export const QUICK_CONTESTANTS = ['lib-plain', 'lib-resident', 'plain-js', 'copy-wasm', 'tfjs-wasm-op'];
export const PEER_OPS_QUICK = ['softmax/2', 'softmax/10', 'softmax/100', 'softmax/1000', 'elu', 'selu'];
// The backward passes issue 10 judges: against TF.js's tf.grad (forward pass + backward, 'backward')
// or against their own forward pass (the kernel alone, 'backward-saved'). The quick plan measures
// these works on these functions only.
export const QUICK_BACKWARD_WORKS = {
  elu: ['backward'], selu: ['backward'],
  gelu: ['backward-saved'], 'gelu:tanh': ['backward-saved'], silu: ['backward-saved'], mish: ['backward-saved'],
};
// The functions whose backward kernel is judged against their own forward pass.
export const OWN_FORWARD_RATIO_FNS = Object.keys(QUICK_BACKWARD_WORKS).filter((fn) => QUICK_BACKWARD_WORKS[fn].includes('backward-saved'));
// Issue 10's targets between two passes of the library itself (GELU against sigmoid, a backward
// kernel against its own forward), as [pass, the pass it is divided by] (targets.mjs holds what
// is asked): both passes are timed as a pair, in the same interleaved rounds of one cell (simd,
// resident, at the plan's sizes from 65,536 to 10^6), so that the machine's drift between two
// cells, 10-20 % on a shared machine, does not enter the ratio.
export const PAIRED_RATIOS = [
  [['gelu', 'forward'], ['sigmoid', 'forward']],
  [['gelu:tanh', 'forward'], ['sigmoid', 'forward']],
  ...OWN_FORWARD_RATIO_FNS.map((fn) => [[fn, 'backward-saved'], [fn, 'forward']]),
];
// Issue 11's thread-scaling cases, measured in the full plan wherever threaded contestants run:
// [function, size, the ratio of 2 threads to 1 asked], forward, for the library's contestants only.
export const THREAD_CELLS = [['sigmoid', 4e6, 1.7], ['gelu', 2e6, 1.75], ['softmax/1000', 4e6, 1.6], ['relu', 1e7, 1.0], ['sigmoid', 1000, 0.9], ['tanh', 16384, 0.9]];
export const ALL_CONTESTANTS = ['lib-plain', 'lib-resident', 'lib-new', 'lib-threads', 'plain-js', 'tfjs-wasm-e2e', 'tfjs-wasm-op', 'tfjs-cpu-e2e', 'tfjs-cpu-op', 'ort-wasm', 'copy-wasm', 'copy-set'];
export const ALL_BUILDS = ['simd', 'relaxed', 'scalar'];

const HELP = `Usage: node bench/run.mjs [options]
  --ops LIST          functions (ids like sigmoid, gelu:tanh, softmax/1000, or names); default all
  --works LIST        forward, backward, backward-saved; default all
  --sizes LIST        element counts, e.g. 16,1e3,65536,1e7
  --contestants LIST  ${ALL_CONTESTANTS.join(', ')}
                      (lib-new: Float32Array in, a new result out, as act.sigmoid(x) is called;
                       lib-threads: 2 and 'auto' threads, resident; with lib-plain also
                       Float32Array on 2 threads)
  --builds LIST       ${ALL_BUILDS.join(', ')}
  --quick             the quick plan (under 30 s): fewer sizes, short cells, no backward passes
  --no-accuracy       skip the accuracy tables (--accuracy turns them on in --quick)
  --out DIR           where results go (default bench/results)`;

const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function parseOptions(argv) {
  const o = { quick: false, accuracy: true, out: 'bench/results' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? (() => { throw new RangeError(`${flag} needs a value`); })();
    switch (flag) {
      case '--quick': o.quick = true; break;
      case '--no-accuracy': o.accuracy = false; break;
      case '--accuracy': o.accuracy = true; break;
      case '--ops': o.ops = list(value()); break;
      case '--works': o.works = list(value()); break;
      case '--sizes': o.sizes = list(value()).map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n < 1) throw new RangeError(`--sizes: ${s} is not a positive integer`);
        return n;
      }); break;
      case '--contestants': o.contestants = list(value()); break;
      case '--builds': o.builds = list(value()); break;
      case '--out': o.out = value(); break;
      case '--help': case '-h': o.help = HELP; break;
      default: throw new RangeError(`unknown option ${arg}\n${HELP}`);
    }
  }
  for (const c of o.contestants ?? []) if (!ALL_CONTESTANTS.includes(c)) throw new RangeError(`--contestants: unknown ${c}; known: ${ALL_CONTESTANTS.join(', ')}`);
  for (const b of o.builds ?? []) if (!ALL_BUILDS.includes(b)) throw new RangeError(`--builds: unknown ${b}; known: ${ALL_BUILDS.join(', ')}`);
  o.sizes ??= o.quick ? QUICK_SIZES : DEFAULT_SIZES;
  if (o.quick && !o.works) {
    o.works = ['forward', 'backward', 'backward-saved'];
    o.worksFor = (fnId, work, size) => work === 'forward' || (size <= 1e6 && (QUICK_BACKWARD_WORKS[fnId] ?? []).includes(work));
  }
  o.works ??= ['forward', 'backward', 'backward-saved'];
  if (!o.quick && !argv.includes('--sizes') && (o.contestants ?? ALL_CONTESTANTS).includes('lib-threads')) o.threadCells = THREAD_CELLS;
  o.contestants ??= o.quick ? QUICK_CONTESTANTS : ALL_CONTESTANTS;
  if (o.quick && !argv.includes('--accuracy')) o.accuracy = false;
  // Quick: the builds its targets name (scalar is the slow fallback, measured in the full run).
  o.builds ??= o.quick ? ['simd', 'relaxed'] : ALL_BUILDS;
  // Timing plan per cell (ms). Quick cells are short; 10^7 cells get fewer rounds (a call there
  // already averages over 40 MB, and slow contestants take ~100 ms per call).
  // Quick: above 65,536 elements only what the copy-limit targets compare (resident buffers and
  // the copy loop); the plain-JS loops for gelu or mish alone take a second per call at 10^7.
  if (o.quick && !argv.includes('--contestants')) {
    o.largeSizeFrom = 65536;
    o.largeSizeContestants = ['lib-simd-resident', 'lib-relaxed-resident', 'copy-wasm'];
    // and only elementwise functions there: the copy-limit targets name elementwise forwards, and
    // the row-wise cells at 10^7 cost ~2 s of a 30 s plan without feeding any quick target.
    o.largeSizeKinds = ['elementwise'];
    // Peers (TF.js) only on the functions of issue 10's targets.
    o.peerOps = PEER_OPS_QUICK;
  }
  o.plan = o.quick
    ? { budgetMs: 25, minRounds: 5, maxRounds: 12, sampleMs: 1, warmupMs: 3, globalWarmupMs: 8 }
    : { budgetMs: 60, minRounds: 5, maxRounds: 20, sampleMs: 2, warmupMs: 5, globalWarmupMs: 15 };
  return o;
}
