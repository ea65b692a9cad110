// Copies a local index build into a PostgreSQL store as one generation, without running the model again: for moving an
// existing index to a shared database, and for measuring the database store on an index that took an hour to embed.
// Usage: DATABASE_URL=postgres://… npx tsx scripts/copy-index-to-postgres.ts INDEX_DIR
import { performance } from 'node:perf_hooks';
import { loadIndex, openStoreWriter, type StoredArticle } from '../src/index/index.js';

const indexDir = process.argv[2];
const databaseUrl = process.env['DATABASE_URL'];
if (!indexDir || !databaseUrl) {
  process.stderr.write('usage: DATABASE_URL=postgres://… npx tsx scripts/copy-index-to-postgres.ts INDEX_DIR\n');
  process.exit(2);
}
const started = performance.now();
const data = await loadIndex(indexDir, { withSearch: false });
const { manifest } = data;
const d = manifest.model.dimensions;
const writer = openStoreWriter({ indexDir, store: 'postgres', databaseUrl });
const release = await writer.lock({});
try {
  const generation = await writer.begin(
    { model: manifest.model, passageSettings: manifest.passages, hnsw: manifest.hnsw, sourcesDir: manifest.sourcesDir ?? indexDir },
    { from: 'empty' },
  );
  const labelsOf = new Map<string, number[]>();
  data.passages.forEach((p, label) => labelsOf.set(p.articleId, [...(labelsOf.get(p.articleId) ?? []), label]));
  for (const article of data.articles) {
    const labels = labelsOf.get(article.id) ?? [];
    // The article's own sentence rows, numbered from 0 in first-use order.
    const rows = new Map<number, number>();
    for (const label of labels) for (const r of data.passages[label]!.sentenceRows ?? []) if (!rows.has(r)) rows.set(r, rows.size);
    const sentenceVectors = new Float32Array(rows.size * d);
    for (const [r, own] of rows) sentenceVectors.set(data.sentenceVectors.subarray(r * d, (r + 1) * d), own * d);
    const passageVectors = new Float32Array(labels.length * d);
    labels.forEach((label, i) => passageVectors.set(data.vectors.subarray(label * d, (label + 1) * d), i * d));
    const stored: StoredArticle = {
      article,
      passages: labels.map((label) => {
        const p = data.passages[label]!;
        return { ...p, sentenceRows: (p.sentenceRows ?? []).map((r) => rows.get(r)!) };
      }),
      passageVectors,
      sentenceVectors,
    };
    await generation.put(stored);
  }
  const written = await generation.commit({ beforeCommit: () => release.assertHeld() });
  process.stdout.write(
    `copied ${written.counts.articles} articles, ${written.counts.passages} passages, ${written.counts.sentences} sentence vectors ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
} finally {
  await release();
  await writer.close();
}
