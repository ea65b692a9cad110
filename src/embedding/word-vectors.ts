// The offline model's raw word vectors, for nearest-word look-ups: what a query needs (expansion, soft coverage), kept
// apart from the model builder. Loading them builds the offline model first when it is missing.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ensureOfflineModel, OFFLINE_MODEL_FILES, type OfflineBuildProgress } from './offline-model.js';

export interface WordNeighbour {
  word: string;
  cosine: number;
}

const vocabSchema = z.array(z.string());

/** Unit-length, unweighted word vectors (no SIF weight, no component removed): neighbours reflect meaning only. */
export class WordVectors {
  readonly dimensions: number;
  private readonly index: Map<string, number>;

  constructor(
    readonly words: readonly string[],
    readonly matrix: Float32Array,
    dimensions: number,
  ) {
    if (matrix.length !== words.length * dimensions) {
      throw new Error(`word-vector matrix has ${matrix.length} values, expected ${words.length} x ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.index = new Map(words.map((w, i) => [w, i]));
  }

  /** The vector of a word (case and accents ignored), or undefined when it is not in the vocabulary. */
  vector(word: string): Float32Array | undefined {
    const i = this.index.get(normaliseWord(word));
    return i === undefined ? undefined : this.matrix.subarray(i * this.dimensions, (i + 1) * this.dimensions);
  }

  /** Up to k most similar other words with cosine ≥ minCosine, most similar first; [] for an unknown word. */
  nearestWords(word: string, k = 10, minCosine = 0.5): WordNeighbour[] {
    const self = this.index.get(normaliseWord(word));
    if (self === undefined || k < 1) return [];
    const D = this.dimensions;
    return this.nearestToVector(this.matrix.slice(self * D, (self + 1) * D), k, minCosine, self);
  }

  /** Up to k words most similar to a unit vector q (cosine ≥ minCosine), most similar first, leaving out row `skip`. */
  nearestToVector(q: Float32Array, k: number, minCosine: number, skip = -1): WordNeighbour[] {
    if (k < 1) return [];
    const D = this.dimensions;
    const m = this.matrix; // a local binding keeps the scan over every word fast
    const best: WordNeighbour[] = [];
    for (let i = 0, n = this.words.length; i < n; i++) {
      if (i === skip) continue;
      const off = i * D;
      // Four running sums let the engine overlap the multiply-adds (about 1.5 times as fast as one sum).
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let d = 0;
      for (; d + 3 < D; d += 4) {
        s0 += q[d]! * m[off + d]!;
        s1 += q[d + 1]! * m[off + d + 1]!;
        s2 += q[d + 2]! * m[off + d + 2]!;
        s3 += q[d + 3]! * m[off + d + 3]!;
      }
      for (; d < D; d++) s0 += q[d]! * m[off + d]!;
      const dot = s0 + s1 + s2 + s3;
      if (dot < minCosine || (best.length === k && dot <= best[k - 1]!.cosine)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.cosine < dot) at--;
      best.splice(at, 0, { word: this.words[i]!, cosine: dot });
      if (best.length > k) best.pop();
    }
    return best;
  }

  /** The same look-up under the name retrieval's `WordNeighbours` interface uses. */
  nearest(word: string, k: number, minCosine: number): WordNeighbour[] {
    return this.nearestWords(word, k, minCosine);
  }
}

function normaliseWord(word: string): string {
  return word.trim().toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** Loads the offline model's word vectors, building the model first if it is missing or out of date. */
export async function loadWordVectors(modelsDir: string, opts: { onProgress?: OfflineBuildProgress } = {}): Promise<WordVectors> {
  const { dir, dimensions } = await ensureOfflineModel(modelsDir, opts);
  const vocabFile = path.join(dir, OFFLINE_MODEL_FILES.vocab);
  const vectorsFile = path.join(dir, OFFLINE_MODEL_FILES.vectors);
  const words = vocabSchema.parse(JSON.parse(await readFile(vocabFile, 'utf8')));
  const { size } = await stat(vectorsFile);
  if (size !== words.length * dimensions * 4) {
    throw new Error(`${vectorsFile} is ${size} bytes, expected ${words.length * dimensions * 4}: delete ${dir} to rebuild it`);
  }
  const bytes = await readFile(vectorsFile);
  // Float32Array needs 4-byte alignment; copy only if Node handed back an unaligned slice.
  const matrix =
    bytes.byteOffset % 4 === 0
      ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
      : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new WordVectors(words, matrix, dimensions);
}
