// What every store's generation writer shares: the generation's articles in order (carried over from the live one, or
// put), `put` checking the vectors match the passages, `delete`, and refusing use after commit or abort.
import type { GenerationSettings, StoredArticle } from './passage-store.js';

/** An article of a generation being written: carried over from the live one (described by `Live`), or put. */
export type StagedEntry<Live> = ({ kind: 'live' } & Live) | { kind: 'put'; stored: StoredArticle };

export abstract class StagedGeneration<Live> {
  /** The generation's articles in order: carried-over ones where they were, new ones appended. */
  protected readonly entries = new Map<string, StagedEntry<Live>>();
  protected done = false;

  constructor(protected readonly settings: GenerationSettings) {}

  /** Adds the article, or replaces the one with the same id (keeping its place). */
  async put(stored: StoredArticle): Promise<void> {
    this.assertOpen();
    const { dimensions } = this.settings.model;
    if (stored.passageVectors.length !== stored.passages.length * dimensions) {
      throw new Error(`article ${stored.article.id}: ${stored.passageVectors.length / dimensions} passage vectors for ${stored.passages.length} passages`);
    }
    this.entries.set(stored.article.id, { kind: 'put', stored });
  }

  async delete(articleId: string): Promise<void> {
    this.assertOpen();
    this.entries.delete(articleId);
  }

  protected assertOpen(): void {
    if (this.done) throw new Error('this generation was already committed or aborted');
  }
}
