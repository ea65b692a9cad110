// Hostile HTML cannot freeze the process: pages nested too deep or holding too many elements are refused before any DOM
// is built, extraction runs in a worker so the event loop keeps turning, and a page that still takes too long is
// stopped and skipped with the reason. The pages are generated here (1,000 nested <div>s is 11 KB).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../../src/corpus/index.js';
import { DEFAULT_HTML_SHAPE_LIMITS, htmlShapeProblem } from '../../../src/corpus/formats/html-dom.js';
import { tempSourcesDir } from '../sources.js';

const STORY = '<p>The council approved the new bridge on Tuesday after a long debate, the mayor said in a statement.</p>';

function nested(depth: number): string {
  return `<html><head><title>Deep</title></head><body>${'<div>'.repeat(depth)}${STORY}${'</div>'.repeat(depth)}</body></html>`;
}

const FLAT = `<html><head><title>Bridge approved</title></head><body><article>${STORY}</article></body></html>`;

/** Runs `work` while a timer ticks every 10 ms; returns its result and the longest gap between ticks (event loop stall). */
async function withStallMeter<T>(work: () => Promise<T>): Promise<{ result: T; maxStallMs: number }> {
  let last = performance.now();
  let maxStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    return { result, maxStallMs };
  } finally {
    clearInterval(ticker);
  }
}

describe('htmlShapeProblem', () => {
  it('accepts nesting up to the limit and refuses one level more, saying what to do', () => {
    expect(htmlShapeProblem(nested(DEFAULT_HTML_SHAPE_LIMITS.maxDepth - 3))).toBeNull();
    expect(htmlShapeProblem(nested(DEFAULT_HTML_SHAPE_LIMITS.maxDepth))).toMatch(/^the HTML nests elements more than 256 deep, too deep to extract safely; save the article's text as \.txt or \.md instead$/);
  });

  it('refuses 100,000 nested elements at once instead of overflowing the stack', () => {
    const started = performance.now();
    expect(htmlShapeProblem(nested(100_000))).toMatch(/nests elements more than 256 deep/);
    // The scan stops at the first element past the limit (the whole page takes linkedom 7 s to parse).
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a page with too many attributes, even all on one element', () => {
    // 200,000 attributes on one <p> took 775 MB and seconds to extract; the element count never saw them.
    const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="v"`).join(' ');
    const page = (n: number) => `<html><body><article><p ${attributes(n)}>The council approved the bridge.</p></article></body></html>`;
    expect(htmlShapeProblem(page(200_000))).toMatch(/^the HTML holds more than 50,000 attributes, too many to extract safely; save the article's text as \.txt or \.md instead$/);
    expect(htmlShapeProblem(page(DEFAULT_HTML_SHAPE_LIMITS.maxAttributes))).toBeNull();
    expect(htmlShapeProblem(page(11), { ...DEFAULT_HTML_SHAPE_LIMITS, maxAttributes: 10 })).toMatch(/more than 10 attributes/);
  });

  it('refuses a page with too many elements', () => {
    const page = `<html><body>${'<p>a</p>'.repeat(1001)}</body></html>`;
    expect(htmlShapeProblem(page, { ...DEFAULT_HTML_SHAPE_LIMITS, maxElements: 1000 })).toMatch(/^the HTML holds more than 1,000 elements/);
    expect(htmlShapeProblem(page, { ...DEFAULT_HTML_SHAPE_LIMITS, maxElements: 2000 })).toBeNull();
  });
});

describe('loading hostile HTML', () => {
  it('skips a page of 1,000 nested <div>s with the reason, loads the other files, and never stalls the event loop', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'deep.html'), nested(1000));
    writeFileSync(path.join(dir, 'bridge.html'), FLAT);
    const { result, maxStallMs } = await withStallMeter(() => loadSources(dir));
    expect(result.articles.map((a) => a.id)).toEqual(['bridge']);
    expect(result.skipped).toEqual([{ file: 'deep.html', reason: expect.stringMatching(/^the HTML nests elements more than 256 deep/) as unknown }]);
    console.log(`1,000 nested <div>s: longest event-loop stall while loading ${maxStallMs.toFixed(0)} ms (Readability in-process: ~12 s)`);
    // Generous: the point is no multi-second freeze (in-process Readability stalled for about 12 s).
    expect(maxStallMs).toBeLessThan(1500);
  });

  it('stops a page that takes longer than the time limit, skips it with the reason, and extracts the next page', async () => {
    const dir = tempSourcesDir();
    // Within a raised depth limit, 1,000 levels take Readability seconds: the time limit must stop it.
    writeFileSync(path.join(dir, 'a-deep.html'), nested(1000));
    writeFileSync(path.join(dir, 'b-bridge.html'), FLAT);
    const html = { maxDepth: 10_000, timeoutMs: 300 };
    const { result, maxStallMs } = await withStallMeter(() => loadSources(dir, { html }));
    expect(result.skipped).toEqual([
      { file: 'a-deep.html', reason: "extracting the article from the HTML took over 0.3 s and was stopped; save the article's text as .txt or .md instead" },
    ]);
    expect(result.articles.map((a) => a.id)).toEqual(['b-bridge']);
    expect(result.articles[0]!.text).toContain('The council approved the new bridge');
    expect(maxStallMs).toBeLessThan(1500);
  });
});
