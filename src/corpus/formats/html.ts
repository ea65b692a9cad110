// HTML articles: the main text through Mozilla Readability on a linkedom document, one paragraph per block element,
// extracted in a worker with shape and time limits (html-extractor.ts); metadata from the page head (Open Graph,
// canonical link, article:published_time, JSON-LD, meta author) normalised here.
import { ArticleFileError } from '../errors.js';
import { isHttpUrl, normalizePublished } from '../metadata.js';
import { DEFAULT_HTML_LIMITS, htmlExtractor } from './html-extractor.js';
import type { SourceFormat } from './source-format.js';

function cleanByline(byline: string | null | undefined): string | null {
  const names = byline?.replace(/^\s*by\s+/i, '').trim();
  // Some sites put the author's profile URL where the name belongs.
  return names && !/^https?:\/\//i.test(names) ? names : null;
}

export const htmlFormat: SourceFormat = {
  holds: 'one',
  async parse(content, file, options) {
    const page = await htmlExtractor.extract(content, file, { ...DEFAULT_HTML_LIMITS, ...options?.html });
    if (!page.text) {
      throw new ArticleFileError(file, 'no article text found in the HTML (Readability found no main content on the page)');
    }
    const published = page.publishedCandidates.map(normalizePublished).find((date) => date !== null) ?? null;
    return {
      records: [
        {
          key: null,
          location: null,
          text: page.text,
          given: {
            title: page.readabilityTitle ?? page.ogTitle ?? page.titleElement,
            outlet: page.ogSiteName ?? page.readabilitySiteName,
            url: page.urlCandidates.find(isHttpUrl) ?? null,
            published: published ?? normalizePublished(page.readabilityPublishedTime),
            byline: cleanByline(page.readabilityByline) ?? cleanByline(page.metaAuthor),
            dateline: null,
          },
        },
      ],
      rejected: [],
    };
  },
};
