import { describe, expect, it } from 'vitest';
import { JobQueue } from '../src/module-workers.js';

type Job = { id: number; n: number };

/** A queue over two named workers that records what each was sent. */
function queue(inFlight: number) {
  const sent: Array<[string, Job]> = [];
  const jobs = new JobQueue<string, Job, number>(['a', 'b'], inFlight, (worker, job) => sent.push([worker, job]));
  return { jobs, sent };
}

describe('JobQueue', () => {
  it('sends each worker at most its jobs in flight, and the next job when one settles', async () => {
    const { jobs, sent } = queue(2);
    const results = [1, 2, 3, 4, 5].map((n) => jobs.submit((id) => ({ id, n })));
    expect(sent.map(([w, j]) => `${w}${j.n}`)).toEqual(['a1', 'a2', 'b3', 'b4']);
    jobs.settle('b', sent[2]![1].id, { result: 30 });
    expect(sent.map(([w, j]) => `${w}${j.n}`)).toEqual(['a1', 'a2', 'b3', 'b4', 'b5']);
    jobs.settle('a', sent[0]![1].id, { result: 10 });
    jobs.settle('a', sent[1]![1].id, { error: new Error('bad input') });
    jobs.settle('b', sent[3]![1].id, { result: 40 });
    jobs.settle('b', sent[4]![1].id, { result: 50 });
    expect(await Promise.allSettled(results)).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('bad input') },
      { status: 'fulfilled', value: 30 },
      { status: 'fulfilled', value: 40 },
      { status: 'fulfilled', value: 50 },
    ]);
  });

  it('ignores a result for a job the worker is not running', async () => {
    const { jobs, sent } = queue(1);
    const result = jobs.submit((id) => ({ id, n: 1 }));
    jobs.settle('b', sent[0]![1].id, { result: 99 }); // sent to a, not b
    jobs.settle('a', sent[0]![1].id, { result: 1 });
    expect(await result).toBe(1);
  });

  it('rejects every job, waiting or running, and every later one, with the first failure', async () => {
    const { jobs } = queue(1);
    const results = [1, 2, 3].map((n) => jobs.submit((id) => ({ id, n })));
    jobs.fail(new Error('a worker exited'));
    jobs.fail(new Error('another one exited'));
    for (const r of [...results, jobs.submit((id) => ({ id, n: 4 }))]) await expect(r).rejects.toThrow('a worker exited');
  });

  it('once closed, rejects what is not done and takes no more jobs', async () => {
    const { jobs, sent } = queue(1);
    const running = jobs.submit((id) => ({ id, n: 1 }));
    jobs.close(new Error('the pool was closed'));
    expect(jobs.closed).toBe(true);
    await expect(running).rejects.toThrow('the pool was closed');
    await expect(jobs.submit((id) => ({ id, n: 2 }))).rejects.toThrow('the pool was closed');
    expect(sent).toHaveLength(1);
  });
});
