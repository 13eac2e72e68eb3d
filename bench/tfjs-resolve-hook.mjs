// A module-resolution hook, registered only while the harness loads tfjs-core's gradient
// registrations. tfjs documents `import '@tensorflow/tfjs-core/dist/register_all_gradients'`,
// but that file and everything it imports are ES modules written for bundlers: their relative
// imports have no `.js` extension, which Node's ESM loader refuses. This hook retries such a
// specifier with `.js` (or `/index.js`), for files inside @tensorflow packages only.

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL?.includes('/node_modules/@tensorflow/');
    if (!fromTfjs || error?.code !== 'ERR_MODULE_NOT_FOUND' && error?.code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
    if (!specifier.startsWith('.')) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next form
      }
    }
    throw error;
  }
}
