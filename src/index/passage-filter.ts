// Which passages a search may return: by outlet, by publication date, or with some articles left out. The filter is
// part of the passage-store interface (passage-store.ts); this is how the local and in-memory stores apply it.
import type { Article } from '../corpus/index.js';
import type { Passage } from '../text/index.js';

export interface PassageFilter {
  /** Case-insensitive substring of the outlet. */
  outlet?: string;
  /** Inclusive ISO dates; articles without a date are left out when either bound is set. */
  since?: string;
  until?: string;
  /** Articles left out, as if they were not indexed (evaluation: "is the answer known without this article?"). */
  excludeArticles?: string[];
}

function dateOnly(iso: string | null): string | null {
  return iso ? iso.slice(0, 10) : null;
}

/** Whether the filter restricts anything at all (an empty outlet or exclusion list does not). */
export function isFiltering(filter: PassageFilter): boolean {
  return Boolean(filter.outlet || filter.since || filter.until || filter.excludeArticles?.length);
}

/** The passage labels (positions in `passages`) the filter allows, or null when there is no filter. */
export function allowedLabels(articles: readonly Article[], passages: readonly Passage[], filter: PassageFilter): Set<number> | null {
  if (!isFiltering(filter)) return null;
  const outlet = filter.outlet?.toLowerCase();
  const excluded = new Set(filter.excludeArticles ?? []);
  const allowedArticles = new Set(
    articles
      .filter((a) => {
        if (excluded.has(a.id)) return false;
        if (outlet && !(a.outlet ?? '').toLowerCase().includes(outlet)) return false;
        const published = dateOnly(a.published);
        if ((filter.since || filter.until) && !published) return false;
        if (filter.since && published! < filter.since) return false;
        if (filter.until && published! > filter.until) return false;
        return true;
      })
      .map((a) => a.id),
  );
  const labels = new Set<number>();
  passages.forEach((p, i) => {
    if (allowedArticles.has(p.articleId)) labels.add(i);
  });
  return labels;
}
