// HTML articles: the main text through Mozilla Readability on a linkedom document, one paragraph per block element;
// metadata from the page head (Open Graph, canonical link, article:published_time, JSON-LD, meta author).
import { createRequire } from 'node:module';
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import type { parseHTML as ParseHTML } from 'linkedom';
import { ArticleFileError } from '../errors.js';
import { isHttpUrl, normalizePublished, type GivenMetadata } from '../metadata.js';
import type { SourceFormat } from './source-format.js';

type HtmlDocument = ReturnType<typeof ParseHTML>['document'];

// The DOM libraries load on the first HTML article (linkedom alone takes ~0.2 s), not in every command.
const require = createRequire(import.meta.url);
const parseHTML: typeof ParseHTML = (...args) => (require('linkedom') as { parseHTML: typeof ParseHTML }).parseHTML(...args);
const Readability = (): typeof ReadabilityClass => (require('@mozilla/readability') as { Readability: typeof ReadabilityClass }).Readability;

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
// Figures carry captions and credits, never the story; the rest is page furniture Readability may leave behind.
const SKIPPED_ELEMENTS = new Set([
  'FIGURE', 'FIGCAPTION', 'PICTURE', 'IMG', 'SVG', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'ASIDE', 'NAV',
  'FOOTER', 'BUTTON', 'FORM', 'IFRAME', 'VIDEO', 'AUDIO', 'OBJECT', 'EMBED', 'CANVAS', 'SELECT', 'INPUT', 'TEXTAREA',
]);
const BLOCK_ELEMENTS = new Set([
  'ADDRESS', 'ARTICLE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'H1', 'H2',
  'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY',
  'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
]);

function collectText(node: DomNode, parts: string[]): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === TEXT_NODE) {
      // HTML white space is not significant; a no-break space is, and is kept.
      parts.push((child.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' '));
      continue;
    }
    if (child.nodeType !== ELEMENT_NODE) continue;
    const name = child.nodeName.toUpperCase();
    if (SKIPPED_ELEMENTS.has(name)) continue;
    if (name === 'BR') {
      parts.push('\n');
      continue;
    }
    const block = BLOCK_ELEMENTS.has(name);
    if (block) parts.push('\n\n');
    collectText(child, parts);
    if (block) parts.push('\n\n');
  }
}

/** The text of an element as paragraphs separated by blank lines, one per block element. */
function blockText(root: DomNode): string {
  const parts: string[] = [];
  collectText(root, parts);
  return parts
    .join('')
    .split(/\n(?:[ ]*\n)+/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.replace(/ {2,}/g, ' ').trim())
        .filter(Boolean)
        .join('\n'),
    )
    .filter(Boolean)
    .join('\n\n');
}

function metaContent(document: HtmlDocument, selector: string): string | null {
  return document.querySelector(selector)?.getAttribute('content')?.trim() || null;
}

function findJsonLdValue(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findJsonLdValue(item, key);
      if (found !== undefined) return found;
    }
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record[key] !== undefined) return record[key];
    return findJsonLdValue(record['@graph'], key);
  }
  return undefined;
}

function jsonLdDatePublished(document: HtmlDocument): string | null {
  const scripts: ArrayLike<DomNode> = document.querySelectorAll('script[type="application/ld+json"]');
  for (const script of Array.from(scripts)) {
    try {
      const found = findJsonLdValue(JSON.parse(script.textContent ?? ''), 'datePublished');
      if (typeof found === 'string') return found;
    } catch {
      // A broken JSON-LD block is common on real pages and only costs us this fallback.
    }
  }
  return null;
}

/** Head metadata, read before Readability rewrites the document. */
function headMetadata(document: HtmlDocument): Omit<GivenMetadata, 'byline' | 'dateline'> & { author: string | null } {
  const url = [document.querySelector('link[rel="canonical"]')?.getAttribute('href'), metaContent(document, 'meta[property="og:url"]')]
    .map((candidate) => candidate?.trim())
    .find((candidate): candidate is string => !!candidate && isHttpUrl(candidate));
  const published = [
    metaContent(document, 'meta[property="article:published_time"]'),
    document.querySelector('time[datetime]')?.getAttribute('datetime') ?? null,
    jsonLdDatePublished(document),
  ]
    .map(normalizePublished)
    .find((date) => date !== null);
  return {
    title: metaContent(document, 'meta[property="og:title"]') ?? (document.querySelector('title')?.textContent?.trim() || null),
    outlet: metaContent(document, 'meta[property="og:site_name"]'),
    url: url ?? null,
    published: published ?? null,
    author: metaContent(document, 'meta[name="author"]'),
  };
}

function cleanByline(byline: string | null | undefined): string | null {
  const names = byline?.replace(/^\s*by\s+/i, '').trim();
  // Some sites put the author's profile URL where the name belongs.
  return names && !/^https?:\/\//i.test(names) ? names : null;
}

export const htmlFormat: SourceFormat = {
  holds: 'one',
  parse(content, file) {
    const { document } = parseHTML(content);
    const head = headMetadata(document);
    const ReadabilityImpl = Readability();
    const article = new ReadabilityImpl(document as unknown as ConstructorParameters<typeof ReadabilityClass>[0], {
      serializer: (node) => node as unknown as DomNode,
    }).parse();
    const text = article?.content ? blockText(article.content) : '';
    if (!text) {
      throw new ArticleFileError(file, 'no article text found in the HTML (Readability found no main content on the page)');
    }
    return {
      records: [
        {
          key: null,
          location: null,
          text,
          given: {
            title: article?.title?.trim() || head.title,
            outlet: head.outlet ?? (article?.siteName?.trim() || null),
            url: head.url,
            published: head.published ?? normalizePublished(article?.publishedTime),
            byline: cleanByline(article?.byline) ?? cleanByline(head.author),
            dateline: null,
          },
        },
      ],
      rejected: [],
    };
  },
};
