// Passage retrieval with the model's passage vectors vs the normalised mean of the passage's sentence vectors (what
// PASSAGE_VECTORS=sentences builds), on one index built with PASSAGE_VECTORS=model, which stores both: exact dense
// search for both, so only the passage vectors differ. Per question file, at dense shares WEIGHTS (default 0.2,0.4,1):
// the answer's article among the top 1 / 3 passages' articles, the answer inside the top 1 / 3 / 6 passages.
// Usage: npx tsx scripts/compare-passage-vectors.ts INDEX_DIR QUESTIONS.jsonl… (README *Speed and scale* has the figures)
import { readFileSync } from 'node:fs';
import { Embedder } from '../src/embedding/index.js';
import { loadIndex } from '../src/index/store.js';
import { LocalPassageIndex } from '../src/index/local-passage-index.js';
import { DEFAULT_RETRIEVAL, retrieve } from '../src/retrieval/search.js';
import { analyzeQuery } from '../src/retrieval/query.js';

const [indexDir, ...files] = process.argv.slice(2);
const index = await loadIndex(indexDir!);
const d = index.manifest.model.dimensions;
const model = index.vectors;
const mean = new Float32Array(model.length);
let shortCount = 0;
index.passages.forEach((p, i) => {
  const article = index.articleById.get(p.articleId)!;
  const own = p.sentences.map((s, j) => ({ row: p.sentenceRows![j]!, words: article.text.slice(s.start, s.end).split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length }));
  const use = own.filter((s) => s.words >= 3);
  shortCount += own.length - use.length;
  const rows = (use.length ? use : own).map((s) => s.row);
  const v = mean.subarray(i * d, (i + 1) * d);
  for (const r of rows) for (let k = 0; k < d; k++) v[k]! += index.sentenceVectors[r * d + k]!;
  const n = Math.hypot(...v);
  for (let k = 0; k < d; k++) v[k]! /= n;
});

class ExactIndex extends LocalPassageIndex {
  constructor(private readonly table: Float32Array) { super(index); }
  override vectorSearch(vector: Float32Array, k: number) {
    const scores: Array<{ label: number; score: number }> = [];
    for (let i = 0; i < index.passages.length; i++) scores.push({ label: i, score: this.passageSimilarity(i, vector) });
    return scores.sort((a, b) => b.score - a.score).slice(0, k);
  }
  override passageSimilarity(label: number, vector: Float32Array) {
    let s = 0;
    for (let k = 0; k < d; k++) s += this.table[label * d + k]! * vector[k]!;
    return s;
  }
}
const variants = { model: new ExactIndex(model), sentences: new ExactIndex(mean) };
const embedder = await Embedder.load({ model: index.manifest.model.id, modelsDir: process.env.MODELS_DIR ?? 'models', allowRemote: false });
const weights = (process.env.WEIGHTS ?? '0.2,0.4,1').split(',').map(Number);
type Q = { id: string; question: string; expect: string; answers?: string[] };
const diffsAll: string[] = [];
const out: Record<string, unknown> = { index: indexDir, passages: index.passages.length, model: index.manifest.model.id };
for (const file of files) {
  const qs = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Q).filter((q) => q.expect === 'answer' && q.answers?.length);
  const tally: Record<string, number[]> = {};
  const diffs: string[] = [];
  for (const q of qs) {
    const qv = await embedder.embedQuery(q.question);
    const analyzed = analyzeQuery(q.question, index.termStats, null);
    const has = (text: string) => q.answers!.some((a) => text.toLowerCase().includes(a.toLowerCase()));
    for (const w of weights) {
      const hits: Record<string, number[]> = {};
      for (const [name, ix] of Object.entries(variants)) {
        const ranked = retrieve(ix, analyzed, qv, { k: 6, settings: { ...DEFAULT_RETRIEVAL, denseWeight: w } });
        const art = (k: number) => (ranked.slice(0, k).some((r) => has(`${r.article.title}\n${r.article.text}`)) ? 1 : 0);
        const psg = (k: number) => (ranked.slice(0, k).some((r) => has(r.passage.text)) ? 1 : 0);
        const row = [art(1), art(3), psg(1), psg(3), psg(6)];
        hits[name] = row;
        const key = `${name}@${w}`;
        tally[key] = (tally[key] ?? [0, 0, 0, 0, 0]).map((x, i) => x + row[i]!);
      }
      if (hits.model!.join() !== hits.sentences!.join()) diffs.push(`${q.id}@${w}: model ${hits.model!.join('')} sentences ${hits.sentences!.join('')}`);
    }
  }
  diffsAll.push(...diffs.map((x) => `${file}: ${x}`));
  out[file] = { questions: qs.length, columns: 'article@1 article@3 passage@1 passage@3 passage@6', tally: Object.fromEntries(Object.entries(tally).map(([k, v]) => [k, v.join(' ')])), differing: diffs.length };
}
out.shortSentencesLeftOutOfMeans = shortCount;
console.log(JSON.stringify(out, null, 1));
if (process.env.DIFFS) console.log(diffsAll.join('\n'));
await embedder.dispose();
