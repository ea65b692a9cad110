// The DOM side of HTML articles, run in the extraction worker (html-worker.ts): a shape check that refuses pages nested
// too deep or too large for Readability, then the main text (Readability on a linkedom document, one paragraph per block
// element) and the head's raw metadata. Nothing here touches the file system or the metadata rules (html.ts does).
import { Readability } from '@mozilla/readability';
import { Parser } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import { DEFAULT_HTML_SHAPE_LIMITS, type HtmlShapeLimits } from './html-shape-limits.js';

export { DEFAULT_HTML_SHAPE_LIMITS, type HtmlShapeLimits };

class ShapeExceeded extends Error {}

/**
 * Why the page's shape is over the limits, or null when it is within them. One pass of htmlparser2's tokenizer (the
 * parser linkedom itself uses, so implied end tags count as linkedom will build them), stopped at the first element
 * past a limit: a hostile page costs no more than an acceptable one.
 */
export function htmlShapeProblem(content: string, limits: HtmlShapeLimits = DEFAULT_HTML_SHAPE_LIMITS): string | null {
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let problem: string | null = null;
  const parser = new Parser({
    // Counted one by one, as the tokenizer reads them: a page can put them all on one element.
    onattribute() {
      attributes++;
      if (attributes > limits.maxAttributes) {
        problem = `the HTML holds more than ${limits.maxAttributes.toLocaleString('en')} attributes, too many to extract safely; save the article's text as .txt or .md instead`;
        throw new ShapeExceeded(problem);
      }
    },
    onopentag() {
      depth++;
      elements++;
      if (depth > limits.maxDepth) {
        problem = `the HTML nests elements more than ${limits.maxDepth.toLocaleString('en')} deep, too deep to extract safely; save the article's text as .txt or .md instead`;
      } else if (elements > limits.maxElements) {
        problem = `the HTML holds more than ${limits.maxElements.toLocaleString('en')} elements, too many to extract safely; save the article's text as .txt or .md instead`;
      }
      if (problem) throw new ShapeExceeded(problem);
    },
    onclosetag() {
      depth--;
    },
  });
  try {
    parser.write(content);
    parser.end();
  } catch (error) {
    if (!(error instanceof ShapeExceeded)) throw error;
  }
  return problem;
}

/** What the page yields before the metadata rules apply: raw strings as found, null when absent. */
export interface RawHtmlArticle {
  /** The main text as paragraphs separated by blank lines; '' when Readability found no main content. */
  text: string;
  readabilityTitle: string | null;
  readabilitySiteName: string | null;
  readabilityByline: string | null;
  readabilityPublishedTime: string | null;
  ogTitle: string | null;
  titleElement: string | null;
  ogSiteName: string | null;
  /** Canonical link, then og:url, in that order of preference. */
  urlCandidates: string[];
  /** article:published_time, <time datetime>, JSON-LD datePublished, in that order of preference. */
  publishedCandidates: string[];
  metaAuthor: string | null;
}

type HtmlDocument = ReturnType<typeof parseHTML>['document'];

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

const present = (values: Array<string | null | undefined>): string[] =>
  values.map((v) => v?.trim()).filter((v): v is string => !!v);

/** Parses the page and extracts its main text and raw head metadata (the head is read before Readability rewrites it). */
export function extractHtmlDom(content: string): RawHtmlArticle {
  const { document } = parseHTML(content);
  const head = {
    ogTitle: metaContent(document, 'meta[property="og:title"]'),
    titleElement: document.querySelector('title')?.textContent?.trim() || null,
    ogSiteName: metaContent(document, 'meta[property="og:site_name"]'),
    urlCandidates: present([document.querySelector('link[rel="canonical"]')?.getAttribute('href'), metaContent(document, 'meta[property="og:url"]')]),
    publishedCandidates: present([
      metaContent(document, 'meta[property="article:published_time"]'),
      document.querySelector('time[datetime]')?.getAttribute('datetime'),
      jsonLdDatePublished(document),
    ]),
    metaAuthor: metaContent(document, 'meta[name="author"]'),
  };
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    serializer: (node) => node as unknown as DomNode,
  }).parse();
  return {
    text: article?.content ? blockText(article.content as unknown as DomNode) : '',
    readabilityTitle: article?.title?.trim() || null,
    readabilitySiteName: article?.siteName?.trim() || null,
    readabilityByline: article?.byline ?? null,
    readabilityPublishedTime: article?.publishedTime ?? null,
    ...head,
  };
}
