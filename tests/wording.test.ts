// Counts and dates as every front end prints them: "1 passage" but "2 passages", a day as YYYY-MM-DD, a moment in UTC.
import { describe, expect, it } from 'vitest';
import { formatIngestReport } from '../src/cli/commands/ingest.js';
import type { IngestReport } from '../src/index/ingest.js';
import { countOf, formatDay, formatMoment } from '../src/wording.js';

describe('countOf', () => {
  it('is singular for one only', () => {
    expect(countOf(1, 'passage')).toBe('1 passage');
    expect(countOf(0, 'passage')).toBe('0 passages');
    expect(countOf(2225, 'article')).toBe('2,225 articles');
    expect(countOf(2, 'entry', 'entries')).toBe('2 entries');
  });

  it('reads right in an ingest report of one small article', () => {
    const report: IngestReport = {
      changed: true, fullRebuild: true, reason: 'there was no index yet', added: ['note'], updated: [], removed: [], unchanged: 0,
      skipped: [{ file: 'empty.txt', reason: 'the file is empty' }], articles: 1, passages: 1, embeddedPassages: 1, embeddedSentences: 1, cachedVectors: 0, shortSentences: 0,
      model: 'local/wink-sg-100d', seconds: 1.5, embedSeconds: 0.1, sourcesDir: '/tmp/news',
    };
    const text = formatIngestReport(report);
    expect(text).toContain('Indexed 1 article, 1 passage with local/wink-sg-100d in 1.50 s (1 passage and 1 sentence embedded).');
    expect(text).toContain('Skipped 1 file:\n  empty.txt: the file is empty');
    // A build resumed after a stop says what it did not have to compute again.
    expect(formatIngestReport({ ...report, embeddedSentences: 0, cachedVectors: 1 })).toContain('(1 passage and 0 sentences embedded, 1 vector kept from a stopped build).');
  });
});

describe('dates', () => {
  it('shows a publication date as its day, whatever precision the article gave', () => {
    expect(formatDay('2023-07-27')).toBe('2023-07-27');
    expect(formatDay('2023-07-27T14:05:00Z')).toBe('2023-07-27');
    expect(formatDay('last week')).toBe('last week');
  });

  it('shows a moment in UTC to the minute', () => {
    expect(formatMoment('2026-12-04T05:31:40.123Z')).toBe('2026-12-04 05:31 UTC');
    expect(formatMoment('not a date')).toBe('not a date');
  });
});
