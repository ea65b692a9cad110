// Incremental ingestion: only new or changed articles are embedded, deleted ones leave the index, an unchanged folder
// writes nothing, a change of model or passage settings rebuilds everything and says why, and a failed or damaged
// build never costs the user the index they had.
import { copyFile, mkdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Embedder, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { loadIndex, type IndexData } from '../../src/index/store.js';
import { MODELS_DIR, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { FIXTURES_DIR, lexicalArticles, listBuilds, liveBuildDir, readPointer, sentenceVectorsOf, vectorOf } from './index-files.js';
import { useSeededIndexes } from './seeded-index.js';

const NBC = '000_b9dabca082e516ec';
const AFP = '001_f0ef755a6af1d45a';
const ADDED = 'ecowas-summit';

const seededCopy = useSeededIndexes();
const fixtures: IndexFixture[] = [];

afterEach(async () => {
  for (const fx of fixtures.splice(0)) await fx.cleanup();
});

/** A copy of the seeds index with its sources; returns the fixture and the index as loaded before the test's change. */
async function seededIndex(): Promise<{ fx: IndexFixture; before: IndexData }> {
  const fx = await seededCopy();
  return { fx, before: await loadIndex(fx.indexDir) };
}

const passagesOf = (index: IndexData, articleId: string) => index.passages.filter((p) => p.articleId === articleId);
/** A passage as a reader sees it: its sentence-vector rows are renumbered when other articles change. */
const withoutRows = ({ sentenceRows: _rows, ...p }: IndexData['passages'][number]) => p;

/** Every passage of `articleId` is in both indexes with the same span and the same vector. */
function expectReused(before: IndexData, after: IndexData, articleId: string): void {
  const old = passagesOf(before, articleId);
  expect(old.length).toBeGreaterThan(0);
  expect(passagesOf(after, articleId).map(withoutRows)).toEqual(old.map(withoutRows));
  for (const p of old) {
    expect(vectorOf(after, p.id)).toEqual(vectorOf(before, p.id));
    expect(sentenceVectorsOf(after, p.id)).toEqual(sentenceVectorsOf(before, p.id));
  }
}

describe('ingest', () => {
  it('indexes every seed article on the first run', async () => {
    const fx = await makeIndexFixture();
    fixtures.push(fx);
    const report = await fx.ingest();
    expect(report).toMatchObject({ changed: true, fullRebuild: true, reason: 'there was no index yet', added: [NBC, AFP] });
    expect(report.model).toBe(OFFLINE_MODEL_ID);
    const index = await loadIndex(fx.indexDir);
    expect(report.passages).toBe(index.passages.length);
    expect(report.embeddedPassages).toBe(index.passages.length);
    expect(index.articles.map((a) => a.id)).toEqual([NBC, AFP]);
  });

  it('embeds every sentence once, under its headline, so quotes are scored by their own vectors', async () => {
    const fx = await makeIndexFixture();
    fixtures.push(fx);
    const report = await fx.ingest();
    const index = await loadIndex(fx.indexDir);
    const unique = new Set(index.passages.flatMap((p) => p.sentences.map((s) => `${p.articleId}:${s.start}`)));
    expect(report.embeddedSentences).toBe(unique.size);
    expect(index.manifest.counts.sentences).toBe(unique.size);
    // A sentence shared by two overlapping passages has one row.
    const [first, second] = index.passages.filter((p) => p.articleId === AFP);
    expect(second!.sentenceRows![0]).toBe(first!.sentenceRows!.at(-1));
    const embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: MODELS_DIR, allowRemote: false });
    const span = first!.sentences[1]!;
    const article = index.articleById.get(AFP)!;
    const sentence = article.text.slice(span.start, span.end);
    const [underHeadline, alone] = await embedder.embedPassages([`${article.title}\n${sentence}`, sentence]);
    await embedder.dispose();
    expect(sentenceVectorsOf(index, first!.id)[1]).toEqual(underHeadline);
    expect(sentenceVectorsOf(index, first!.id)[1]).not.toEqual(alone);
  });

  it('tags sentences in worker threads with the same result as on the main thread', async () => {
    const inline = await makeIndexFixture();
    const pooled = await makeIndexFixture();
    fixtures.push(inline, pooled);
    await inline.ingest({ taggingWorkers: 0 });
    const stages = new Set<string>();
    await pooled.ingest({ taggingWorkers: 2, onProgress: (p) => stages.add(p.stage) });
    const [a, b] = [await loadIndex(inline.indexDir), await loadIndex(pooled.indexDir)];
    expect(b.passages).toEqual(a.passages);
    expect(b.passages.flatMap((p) => p.sentenceTags ?? []).flat().some((t) => t.kind === 'person')).toBe(true);
    expect(stages).toContain('embed');
  });

  it('embeds only the passages of an added article and reuses the others', async () => {
    const { fx, before } = await seededIndex();
    await copyFile(path.join(FIXTURES_DIR, `${ADDED}.md`), path.join(fx.sourcesDir, `${ADDED}.md`));
    const report = await fx.ingest();
    expect(report).toMatchObject({ changed: true, fullRebuild: false, reason: null, added: [ADDED], updated: [], removed: [] });
    expect(report.unchanged).toBe(2);

    const after = await loadIndex(fx.indexDir);
    const added = passagesOf(after, ADDED);
    expect(added.length).toBeGreaterThanOrEqual(2);
    expect(report.embeddedPassages).toBe(added.length);
    expect(after.passages).toHaveLength(before.passages.length + added.length);
    expectReused(before, after, NBC);
    expectReused(before, after, AFP);

    // The new article is searchable, with the metadata from its front matter.
    expect(lexicalArticles(after, 'Tinubu Abuja deadline')).toEqual(new Set([ADDED]));
    expect(after.articleById.get(ADDED)).toMatchObject({
      title: 'West African leaders give Niger junta a week to restore Bazoum',
      outlet: 'Sahel Desk',
      published: '2023-07-30',
      url: 'https://example.org/sahel-desk/ecowas-summit',
      file: `${ADDED}.md`,
    });
  });

  it('picks up a new plain-text article too', async () => {
    const { fx, before } = await seededIndex();
    const text = (await readFile(path.join(FIXTURES_DIR, `${ADDED}.md`), 'utf8')).split('---\n')[2]!;
    await writeFile(path.join(fx.sourcesDir, 'summit-wire.txt'), text);
    const report = await fx.ingest();
    expect(report.added).toEqual(['summit-wire']);
    const after = await loadIndex(fx.indexDir);
    expect(report.embeddedPassages).toBe(passagesOf(after, 'summit-wire').length);
    expect(after.passages.length).toBeGreaterThan(before.passages.length);
  });

  it('re-embeds only a changed article', async () => {
    const { fx, before } = await seededIndex();
    // An edit inside the body (the file ends with a list of other stories, which cleaning drops).
    const file = path.join(fx.sourcesDir, `${NBC}.txt`);
    const anchor = '\n\nBazoum was elected in 2021';
    const original = await readFile(file, 'utf8');
    expect(original).toContain(anchor);
    const addition = '\n\nLate on Friday the junta named General Abdourahamane Tchiani as head of state.';
    await writeFile(file, original.replace(anchor, `${addition}${anchor}`));
    const report = await fx.ingest();
    expect(report).toMatchObject({ changed: true, fullRebuild: false, added: [], updated: [NBC], removed: [], unchanged: 1 });

    const after = await loadIndex(fx.indexDir);
    expect(after.articleById.get(NBC)!.text).toContain('General Abdourahamane Tchiani');
    expect(report.embeddedPassages).toBe(passagesOf(after, NBC).length);
    expectReused(before, after, AFP);
    expect(lexicalArticles(after, 'Tchiani')).toEqual(new Set([NBC]));
  });

  it('removes a deleted article and all its passages', async () => {
    const { fx, before } = await seededIndex();
    expect(lexicalArticles(before, 'Blinken')).toEqual(new Set([AFP]));
    await rm(path.join(fx.sourcesDir, `${AFP}.txt`));
    const report = await fx.ingest();
    expect(report).toMatchObject({ changed: true, fullRebuild: false, added: [], updated: [], removed: [AFP], unchanged: 1 });
    expect(report.embeddedPassages).toBe(0);

    const after = await loadIndex(fx.indexDir);
    expect(after.articles.map((a) => a.id)).toEqual([NBC]);
    expect(passagesOf(after, AFP)).toEqual([]);
    expect(after.passages).toHaveLength(passagesOf(before, NBC).length);
    expect(after.vectorIndex!.size).toBe(after.passages.length);
    expect(lexicalArticles(after, 'Blinken')).toEqual(new Set());
    expectReused(before, after, NBC);
  });

  it('writes nothing when nothing changed', async () => {
    const { fx, before } = await seededIndex();
    const pointer = await readPointer(fx.indexDir);
    const builds = await listBuilds(fx.indexDir);
    const report = await fx.ingest();
    expect(report).toMatchObject({ changed: false, fullRebuild: false, reason: null, added: [], updated: [], removed: [] });
    expect(report).toMatchObject({ unchanged: 2, embeddedPassages: 0, articles: 2, passages: before.passages.length });
    expect(await readPointer(fx.indexDir)).toBe(pointer);
    expect(await listBuilds(fx.indexDir)).toEqual(builds);
    const after = await loadIndex(fx.indexDir);
    expect(after.dir).toBe(before.dir);
    expect(after.manifest.builtAt).toBe(before.manifest.builtAt);
    // The copy was built from another folder: the same articles here only move the record to this one.
    expect(before.manifest.sourcesDir).not.toBe(fx.sourcesDir);
    expect(after.manifest.sourcesDir).toBe(fx.sourcesDir);
  });

  it('sweeps the partial build folders of killed ingests, also on a run that changes nothing', async () => {
    const { fx, before } = await seededIndex();
    const partial = path.join(fx.indexDir, 'builds', 'build-2020-01-01T000000-dead00');
    await mkdir(partial);
    await writeFile(path.join(partial, 'vectors.f32'), 'half a build');
    expect((await fx.ingest()).changed).toBe(false);
    expect(await listBuilds(fx.indexDir)).toEqual([path.basename(before.dir)]);
  });

  it('rebuilds everything when asked to', async () => {
    const { fx, before } = await seededIndex();
    const report = await fx.ingest({ full: true });
    expect(report).toMatchObject({ changed: true, fullRebuild: true, reason: 'a full rebuild was requested' });
    expect(report.embeddedPassages).toBe(before.passages.length);
    expect((await loadIndex(fx.indexDir)).manifest.builtAt).not.toBe(before.manifest.builtAt);
  });
});

describe('ingest after a change of settings', () => {
  it('rebuilds everything when the passage length changes, and only once', async () => {
    const { fx, before } = await seededIndex();
    const report = await fx.ingest({ passageTokens: 100 });
    expect(report).toMatchObject({ changed: true, fullRebuild: true, reason: 'the passage or index settings changed' });
    const after = await loadIndex(fx.indexDir);
    expect(after.manifest.passages.maxTokens).toBe(100);
    // Shorter passages: more of them, all embedded afresh.
    expect(after.passages.length).toBeGreaterThan(before.passages.length);
    expect(report.embeddedPassages).toBe(after.passages.length);

    expect((await fx.ingest({ passageTokens: 100 })).changed).toBe(false);
  });

  it('rebuilds everything when the graph settings change', async () => {
    const { fx, before } = await seededIndex();
    const report = await fx.ingest({ hnsw: { ...fx.options.hnsw, m: 8 } });
    expect(report).toMatchObject({ fullRebuild: true, reason: 'the passage or index settings changed' });
    expect(report.embeddedPassages).toBe(before.passages.length);
    expect((await loadIndex(fx.indexDir)).manifest.hnsw.m).toBe(8);
  });

  it('rebuilds everything when the configured model changes, even if it falls back to the same offline model', async () => {
    const { fx, before } = await seededIndex();
    const logs: string[] = [];
    // A model no test run ever has in MODELS_DIR (`npm run dev-models` makes MiniLM, bge-small and e5-small).
    const hubModel = 'Xenova/e5-base-v2';
    const report = await fx.ingest({ model: hubModel, log: (m) => logs.push(m) });
    expect(report).toMatchObject({
      changed: true,
      fullRebuild: true,
      reason: `the embedding model changed from ${OFFLINE_MODEL_ID} to ${hubModel}`,
      model: OFFLINE_MODEL_ID,
    });
    expect(report.embeddedPassages).toBe(before.passages.length);
    // The fallback is said once, with why.
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/could not load Xenova\/e5-base-v2 \(.*ALLOW_REMOTE_MODELS=false.*\); using the offline model/);
    // …and how to silence it.
    expect(logs[0]).toMatch(/To silence this, set EMBEDDING_MODEL=local\/wink-sg-100d in \.env, or make the hub reachable once \(the model is then kept in .*\)\.$/);
    expect((await loadIndex(fx.indexDir)).manifest.model).toMatchObject({ id: OFFLINE_MODEL_ID, requested: hubModel });

    // The same configuration next time is up to date: no rebuild on every run.
    expect((await fx.ingest({ model: hubModel, log: (m) => logs.push(m) })).changed).toBe(false);
  });

  it('rebuilds everything when the vectors came from a model other than the one now in use', async () => {
    const { fx } = await seededIndex();
    // Simulate an index built online with the hub model: same configured model, other vectors. (A model that
    // `npm run dev-models` does not make, so that this run falls back to the offline model.)
    const hubModel = 'Xenova/bge-base-en-v1.5';
    const manifestFile = path.join(await liveBuildDir(fx.indexDir), 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { model: object };
    manifest.model = { id: hubModel, requested: hubModel, dimensions: 768 };
    await writeFile(manifestFile, JSON.stringify(manifest));
    await copyFile(path.join(FIXTURES_DIR, `${ADDED}.md`), path.join(fx.sourcesDir, `${ADDED}.md`));

    const report = await fx.ingest({ model: hubModel, log: () => {} });
    expect(report).toMatchObject({
      fullRebuild: true,
      reason: `the embedding model in use changed from ${hubModel} to ${OFFLINE_MODEL_ID}`,
    });
    const after = await loadIndex(fx.indexDir);
    expect(report.embeddedPassages).toBe(after.passages.length);
    expect(after.manifest.model).toEqual({ id: OFFLINE_MODEL_ID, requested: hubModel, dimensions: 100 });
  });
});

describe('ingest when things go wrong', () => {
  it.each([
    ['a truncated vector file', (build: string) => truncate(path.join(build, 'vectors.f32'), 100), /vectors\.f32 is truncated/],
    ['a missing vector graph', (build: string) => rm(path.join(build, 'hnsw.bin')), /hnsw\.bin is missing/],
    [
      'a garbage pointer file',
      (build: string) => writeFile(path.join(build, '../../current.json'), 'garbage'),
      /current\.json is damaged \(not valid JSON\)/,
    ],
  ])('rebuilds an index with %s, as the load error promises, even with no article changed', async (_what, damage, why) => {
    const { fx, before } = await seededIndex();
    await damage(await liveBuildDir(fx.indexDir));
    await expect(loadIndex(fx.indexDir)).rejects.toThrow(why);

    const report = await fx.ingest();
    expect(report.changed).toBe(true);
    expect(report.fullRebuild).toBe(true);
    expect(report.reason).toMatch(/^the previous index is unreadable \(/);
    expect(report.reason).toMatch(why);
    const after = await loadIndex(fx.indexDir);
    expect(after.passages).toEqual(before.passages);
    expect(after.vectors).toEqual(before.vectors);
  });

  it('keeps the old index serving when the sources folder has vanished, and releases the lock', async () => {
    const { fx, before } = await seededIndex();
    const moved = `${fx.sourcesDir}-moved`;
    await rename(fx.sourcesDir, moved);
    await copyFile(path.join(FIXTURES_DIR, `${ADDED}.md`), path.join(moved, `${ADDED}.md`));
    await expect(fx.ingest()).rejects.toThrow(/^The sources folder .*sources does not exist: create it .* --sources DIR \(or SOURCES_DIR\)\.$/);

    const after = await loadIndex(fx.indexDir);
    expect(after.dir).toBe(before.dir);
    expect(after.passages).toEqual(before.passages);

    // The failed run released the lock: the next one starts at once.
    await rename(moved, fx.sourcesDir);
    const report = await fx.ingest();
    expect(report.added).toEqual([ADDED]);
  });
});
