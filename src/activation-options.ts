// The options of an elementwise activation, read the same way wherever an activation is named:
// its own calls (act.elu(x, { alpha })) and the dense layers ({ activation: 'elu', alpha }).
// Worked out once per activation from the table, so that a call without options allocates nothing.

import { ELEMENTWISE, ELEMENTWISE_NAMES, kernelsOf, type ElementwiseName, type ElementwiseSpec } from './table.js';
import { checkChoice, checkParam } from './validate.js';

/** The wasm kernel a call runs and the two parameters it passes. */
export interface ResolvedActivation {
  readonly kernel: string;
  readonly a: number;
  readonly b: number;
}

export interface ActivationOptions {
  /** The option names this activation reads: its parameters, then its variant option. */
  readonly names: readonly string[];
  /** The kernels it can run (one per variant). */
  readonly kernels: readonly string[];
  /** The result without options: defaults everywhere. */
  readonly defaults: ResolvedActivation;
  /** Reads the parameters and the variant from `opts` (other keys are the caller's to check). */
  resolve(opts: Record<string, unknown>): ResolvedActivation;
}

function activationOptions(name: ElementwiseName): ActivationOptions {
  const spec: ElementwiseSpec = ELEMENTWISE[name];
  const params = Object.entries(spec.params);
  const variants = spec.variants;
  const defaults: ResolvedActivation = Object.freeze({
    kernel: variants ? variants.kernels[variants.default]! : name,
    a: params[0]?.[1].default ?? 0,
    b: params[1]?.[1].default ?? 0,
  });
  const choices = variants ? Object.keys(variants.kernels) : [];
  return {
    names: [...params.map(([p]) => p), ...(variants ? [variants.option] : [])],
    kernels: kernelsOf(name),
    defaults,
    resolve(opts) {
      let kernel = defaults.kernel;
      if (variants && opts[variants.option] !== undefined) kernel = variants.kernels[checkChoice(variants.option, opts[variants.option], choices)]!;
      const values = params.map(([p, param]) => (opts[p] === undefined ? param.default : checkParam(p, opts[p], param)));
      return { kernel, a: values[0] ?? 0, b: values[1] ?? 0 };
    },
  };
}

const OPTIONS = new Map(ELEMENTWISE_NAMES.map((name) => [name, activationOptions(name)]));

/** The options reader of an activation by its table name. */
export function optionsOf(name: ElementwiseName): ActivationOptions {
  return OPTIONS.get(name)!;
}

/** An activation named by a caller (`activation: 'elu'`): TypeError for a non-string, RangeError for an unknown name. */
export function checkActivationName(value: unknown): ElementwiseName {
  return checkChoice('activation', value, ELEMENTWISE_NAMES);
}
