// The tagging pool: worker threads give exactly the tags tagText gives on this thread, whatever order they finish in,
// and a closed pool refuses work instead of leaving a build waiting forever.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';
import { MIN_ARTICLES_FOR_WORKERS, TaggingPool, taggingWorkersFor } from '../../src/text/tag-pool.js';
import { tagText } from '../../src/text/tags.js';

const seedsDir = new URL('../../seeds/', import.meta.url);
const seeds = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(new URL(f, seedsDir), 'utf8'));
// Whole articles and single paragraphs, so jobs of very different sizes overtake one another in the workers.
const articles = [...seeds, ...seeds.flatMap((text) => text.split(/\n\s*\n/).filter((p) => p.trim().length > 40).slice(0, 6))];

let pool: TaggingPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('TaggingPool', () => {
  it('tags articles in worker threads exactly as tagText does', async () => {
    pool = TaggingPool.open(2);
    const inputs = articles.map((text) => ({ text, spans: splitSentences(text) }));
    const fromWorkers = await Promise.all(inputs.map(({ text, spans }) => pool!.tag(text, spans)));
    const inline = inputs.map(({ text, spans }) => tagText(text, spans));
    expect(fromWorkers).toEqual(inline);
    // Not vacuous: the seeds hold people, places, dates and quotations.
    const kinds = new Set(inline.flat(2).map((t) => t.kind));
    for (const kind of ['person', 'place', 'date', 'quotation']) expect(kinds).toContain(kind);
  });

  it('refuses work once closed, and rejects what was still queued', async () => {
    pool = TaggingPool.open(1);
    const queued = Promise.allSettled(articles.map((text) => pool!.tag(text, splitSentences(text))));
    await pool.close();
    const settled = await queued;
    expect(settled.some((s) => s.status === 'rejected')).toBe(true);
    await expect(pool.tag(seeds[0]!, splitSentences(seeds[0]!))).rejects.toThrow(/closed/);
  });

  it('starts workers only for enough articles to pay for them', () => {
    expect(taggingWorkersFor(0)).toBe(0);
    expect(taggingWorkersFor(MIN_ARTICLES_FOR_WORKERS - 1)).toBe(0);
    expect(taggingWorkersFor(MIN_ARTICLES_FOR_WORKERS)).toBe(1);
    expect(taggingWorkersFor(100 * MIN_ARTICLES_FOR_WORKERS)).toBe(Math.max(1, availableParallelism() - 1));
    // Never more workers than batches of articles worth one.
    expect(taggingWorkersFor(2 * MIN_ARTICLES_FOR_WORKERS - 1)).toBe(1);
    expect(() => TaggingPool.open(0)).toThrow(/at least one worker/);
  });
});
