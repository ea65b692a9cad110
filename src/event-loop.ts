// Long loops on the main thread hand the event loop back every few tens of milliseconds, so that a bot refreshing its
// index in-process keeps acknowledging interactions within Discord's 3 s and the ingest lock keeps being refreshed.

/**
 * A pause for the body of a long loop: `await pause()` yields to the event loop (setImmediate) once `sliceMs` have passed
 * since the last yield, and otherwise costs next to nothing.
 */
export function slicedPause(sliceMs = 40): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
