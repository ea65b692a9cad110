// A process that takes the ingest lock, then blocks its event loop for a while, as a long synchronous stretch in an ingest
// did: `node --import tsx tests/index/lock-holder.ts INDEX_DIR STALE_MS BLOCK_MS`. Prints what it saw, one line a step.
import { setTimeout as sleep } from 'node:timers/promises';
import { lockIndex } from '../../src/index/lock.js';

const [indexDir, staleMs, blockMs] = process.argv.slice(2);
const release = await lockIndex(indexDir!, { staleMs: Number(staleMs) });
console.log('locked');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(blockMs));
// Give proper-lockfile's refresh timer the time to find the lock overdue (it used to throw ECOMPROMISED from there).
await sleep(Number(staleMs));
try {
  await release.assertHeld();
  console.log('held');
} catch (error) {
  console.log(`lost: ${(error as Error).message}`);
}
await release();
console.log('released');
