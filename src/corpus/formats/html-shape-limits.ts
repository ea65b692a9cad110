// The bounds on an HTML page's shape, apart from the DOM code that checks them (html-dom.ts): the main thread needs the
// defaults to configure the extraction worker, and importing html-dom.ts would load linkedom, Readability and
// htmlparser2 (about 0.2 s) into every process that reads a source file, the one-shot `ask` included.

/** Bounds on a page's shape, checked before any DOM is built. */
export interface HtmlShapeLimits {
  /** Deepest element nesting accepted. Readability's time grows with about the cube of it (1,000 levels: 12 s). */
  maxDepth: number;
  /** Most elements accepted in one page. */
  maxElements: number;
  /** Most attributes accepted in one page, on all its elements together (200,000 on one element: 775 MB, 7 s). */
  maxAttributes: number;
}

// Real article pages nest a few dozen levels and hold a few thousand elements with a few attributes each; these bounds
// keep the worst accepted page to well under a second of Readability (256 levels: ~0.3 s), and 50,000 attributes to
// about 1.5 s and 120 MB, while leaving ample room for bloated markup.
export const DEFAULT_HTML_SHAPE_LIMITS: HtmlShapeLimits = { maxDepth: 256, maxElements: 200_000, maxAttributes: 50_000 };
