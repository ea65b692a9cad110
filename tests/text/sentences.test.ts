// Sentence splitting over the real seed articles: the sentences a quote can be cut from, and the offset invariants quoting relies on.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MAX_SENTENCE_CHARS, splitSentences } from '../../src/text/sentences.js';
import { BBC_CSV, BBC_SLICE_CSV, describeWithShared } from '../support/shared-corpus.js';

const seedsDir = new URL('../../seeds/', import.meta.url);
const seedFiles = readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort();
const seeds = seedFiles.map((f) => readFileSync(new URL(f, seedsDir), 'utf8'));
const nbc = seeds.find((t) => t.startsWith('NIAMEY, Niger'))!;
const afp = seeds.find((t) => t.includes('UrduPoint'))!;

function sentences(text: string): string[] {
  return splitSentences(text).map((s) => text.slice(s.start, s.end));
}

/** Asserts every invariant the rest of the pipeline relies on; returns nothing so failures name the broken rule. */
function expectWellFormed(text: string): void {
  const spans = splitSentences(text);
  let previousEnd = 0;
  const covered = new Uint8Array(text.length);
  for (const { start, end } of spans) {
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    expect(end).toBeGreaterThan(start);
    expect(text[start]).toMatch(/\S/);
    expect(text[end - 1]).toMatch(/\S/);
    // A sentence never runs across a line: captions and headings stay on their own.
    expect(text.slice(start, end)).not.toMatch(/[\n\r\u2028\u2029]/);
    covered.fill(1, start, end);
    previousEnd = end;
  }
  for (let i = 0; i < text.length; i++) {
    if (/\S/.test(text[i]!) && !covered[i]) throw new Error(`character ${i} (${JSON.stringify(text[i])}) is in no sentence`);
  }
}

describe('splitSentences on the seed articles', () => {
  it('finds both seed articles', () => {
    expect(nbc).toBeDefined();
    expect(afp).toBeDefined();
  });

  it.each(seedFiles.map((f, i) => [f, seeds[i]!] as const))('keeps every offset invariant in %s', (_file, text) => {
    expectWellFormed(text);
  });

  it.each([
    'Air Force Col. Maj. Amadou Abdramane, who represents a group called the National Council for the Safeguarding of the Country, said in a statement that all political party activity had been suspended “until further notice.”',
    'Abdramane also said in a separate statement that France landed a A400 military transport plane at Niamey airport at 6.30 a.m. (1.30 a.m. ET), contrary to an order he issued Wednesday to close the country’s borders.',
    'Meanwhile, U.S. forces in Niger were on restricted movements while they assess the situation, according to two U.S. defense officials who spoke anonymously because they were not authorized to speak to the media.',
    'The U.S. has about 1,100 troops in Niger spread out at three outposts, with a primary mission of training and supporting the local Nigerien forces, specifically the Special Operations.',
    'Sen. Kyrsten Sinema, the Arizona independent who left the Democratic Party last…',
    'Source: | This article originally belongs to Nbcnews.com',
  ])('does not split the NBC sentence %#', (sentence) => {
    expect(sentences(nbc)).toContain(sentence);
  });

  it.each([
    '"The military command... has decided to subscribe to the declaration made by the Defence and Security Forces... in order to avoid a deadly confrontation between the various forces," he said in a statement.',
    'ECOWAS and the African Union each lashed what they called an "attempted coup d\'etat".',
    'In Brussels, the European Union said Niger was "an essential partner... whose destabilisation would not serve the interest of anyone in the country, the region or beyond."',
    'Hours later, their leaders, calling themselves the Defence and Security Forces (FDS), declared they had "decided to put an end to the regime," announcing that all institutions were being suspended, the borders closed and a night-time curfew imposed.',
  ])('does not split the AFP sentence %#', (sentence) => {
    expect(sentences(afp)).toContain(sentence);
  });

  /** Asserts that `parts` appear as consecutive sentences of `text`. */
  function expectConsecutive(text: string, parts: string[]): void {
    const all = sentences(text);
    const at = all.indexOf(parts[0]!);
    expect(at, `first part not found as a sentence: ${parts[0]}`).toBeGreaterThanOrEqual(0);
    expect(all.slice(at, at + parts.length)).toEqual(parts);
  }

  it('splits after a closing quote followed by a capitalised sentence', () => {
    expectConsecutive(afp, [
      '"All Nigeriens who love democracy and freedom would want this."',
      'Foreign Minister Hassoumi Massoudou said Niger\'s "legal and legitimate power" was the one exercised by its elected president.',
    ]);
  });

  it('splits quoted sentences from their attribution and from the narration after them', () => {
    expectConsecutive(afp, [
      '"We ask all the fractious soldiers to return to their ranks," he said.',
      '"Everything can be achieved through dialogue but the institutions of the republic must function."',
      'But armed forces chief General Abdou Sidikou Issa dealt a hefty blow to those hopes.',
    ]);
    expectConsecutive(afp, [
      'It urged on "all parties to the conflict to refrain from the use of force and resolve all disputes through peaceful and constructive dialogue."',
      'In Brussels, the European Union said Niger was "an essential partner... whose destabilisation would not serve the interest of anyone in the country, the region or beyond."',
      "Bazoum took office after elections two years ago, in Niger's first-ever peaceful transition since independence.",
    ]);
  });

  it('ends a sentence at "Bazoum\'s release." and starts the next at "It urged"', () => {
    const all = sentences(afp);
    const release = all.findIndex((s) => s.endsWith("joined the roll call of nations appealing for Bazoum's release."));
    expect(release).toBeGreaterThanOrEqual(0);
    expect(all[release + 1]).toMatch(/^It urged on "all parties/);
  });

  it('splits plain consecutive sentences within a paragraph', () => {
    expectConsecutive(nbc, [
      'The country, rich in natural resources, has been a key partner in the West’s fight against Islamist groups in west Africa.',
      'The U.S. has about 1,100 troops in Niger spread out at three outposts, with a primary mission of training and supporting the local Nigerien forces, specifically the Special Operations.',
    ]);
  });

  it('starts a sentence at a dash-opened run-in subhead', () => {
    expectConsecutive(afp, [
      'Their leader, an officer named Colonel-Major Amadou Abdramane, announced they were taking power following "the continued deterioration of the security situation, poor economic and social governance."',
      '- Condemnation - The parties in Niger\'s ruling coalition denounced "a suicidal and anti-republican madness," and condemnation poured in from regional and global leaders.',
    ]);
  });

  it('never joins a caption or heading line to the next line', () => {
    expectConsecutive(nbc, [
      "Smoke billows as supporters of Niger's security forces attack the headquarters of the Nigerien Party for Democracy and Socialism, the party of overthrown President Mohamed Bazoum, in Niamey on July 27, 2023.",
      'Smoke billows Thursday as supporters of Niger’s security forces attack the headquarters of the Nigerien Party for Democracy and Socialism, the party of overthrown President Mohamed Bazoum, in Niamey.',
      'AFP – Getty Images',
    ]);
    // Headings without terminal punctuation, separated by blank lines or by a single newline.
    expectConsecutive(nbc, [
      'You May Also Like',
      'Wisconsin surgeon who died on hike was found ‘partially buried’ after ground collapsed, sheriff says',
      'The body of a Wisconsin surgeon was found “partially buried” after the…',
    ]);
  });

  it('splits a photo credit glued to the caption without a space', () => {
    expectConsecutive(nbc, [
      'Niger’s President Mohamed Bazoum at the presidential palace in Niamey in 2022.',
      'Issouf Sanogo / AFP – Getty Images file',
    ]);
  });
});

describe('splitSentences exception list', () => {
  it.each([
    'Mr. Bazoum and Mrs. Bazoum met Dr. Ali and Prof. Diallo.',
    'Gen. Abdourahamane Tiani spoke to Lt. Col. Diallo and Sgt. Maj. Issa.',
    'Rep. Smith and Gov. Jones joined Sen. Kyrsten Sinema.',
    'The vote was held on Jan. 5 and again on Sept. 12.',
    'The curfew ran from 10 p.m. Niamey time until 6 a.m. Friday.',
    'J. R. R. Tolkien and George W. Bush never met.',
    'The U.N. Security Council and U.S. Army officials met.',
    'He lived in St. Louis before moving to No. 10 Downing Street.',
    'Aid groups, e.g. Oxfam, stayed.',
    '"Why?" he asked.',
    'The command... has decided to stay.',
    'She shops at Amazon.com daily.',
  ])('keeps "%s" as one sentence', (text) => {
    expect(sentences(text)).toEqual([text]);
  });

  it.each([
    ['The troops flew back to the U.S. The talks went on.', ['The troops flew back to the U.S.', 'The talks went on.']],
    ['It was hosted by Ant and Dec. She won.', ['It was hosted by Ant and Dec.', 'She won.']],
    ['They met at 9 a.m. "It went well," he said.', ['They met at 9 a.m.', '"It went well," he said.']],
    ['He replied: "No. Definitely not."', ['He replied: "No.', 'Definitely not."']],
    ['Who made it? iPod fans know.', ['Who made it?', 'iPod fans know.']],
    ['It fought in World War I. But it stayed neutral later.', ['It fought in World War I.', 'But it stayed neutral later.']],
  ])('splits "%s" where the abbreviation really ends a sentence', (text, expected) => {
    expect(sentences(text)).toEqual(expected);
  });
});

describe('splitSentences edge cases', () => {
  it('returns nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n\t \r\n ')).toEqual([]);
  });

  it('returns one trimmed sentence for text with no terminal punctuation', () => {
    const text = '  \n Troops surround the presidential palace in Niamey  \n';
    expect(splitSentences(text)).toEqual([{ start: 4, end: text.indexOf('Niamey') + 'Niamey'.length }]);
  });

  it('never re-joins across a line break, even where the exception list would join within a line', () => {
    const text = 'Photo: U.S. Army / Sgt.\nAmadou Diallo\nrelated coverage\nLt. Col.\n\nDiallo said so.';
    expect(sentences(text)).toEqual(['Photo: U.S. Army / Sgt.', 'Amadou Diallo', 'related coverage', 'Lt. Col.', 'Diallo said so.']);
  });

  it('treats CRLF, CR and Unicode line separators as line breaks', () => {
    const text = 'Caption without a stop\r\nBody one. Body two.\rCredit line\u2028Last line';
    expect(sentences(text)).toEqual(['Caption without a stop', 'Body one.', 'Body two.', 'Credit line', 'Last line']);
    expectWellFormed(text);
  });

  it('keeps offsets exact around non-breaking spaces, tabs and astral characters', () => {
    const text = '\u00a0Niger 🇳🇪 coup.\tIt began\u00a0Wednesday. “Calm,” he said.\u00a0';
    expect(sentences(text)).toEqual(['Niger 🇳🇪 coup.', 'It began\u00a0Wednesday.', '“Calm,” he said.']);
    expectWellFormed(text);
  });
});

// The BBC corpus is the scale case: every invariant must hold on 2,225 real articles (30 on a clone without ../shared).
for (const [run, name, csv, rows] of [
  [describe, 'the 30 BBC articles shipped with the tests', BBC_SLICE_CSV, 30],
  [describeWithShared(BBC_CSV), 'the whole BBC corpus', BBC_CSV, 2225],
] as const) {
  run(`splitSentences on ${name}`, () => {
    it('keeps every offset invariant on every article', () => {
      const texts = (parse(readFileSync(csv), { columns: true }) as { text: string }[]).map((r) => r.text);
      expect(texts.length).toBe(rows);
      let count = 0;
      for (const text of texts) {
        expectWellFormed(text);
        count += splitSentences(text).length;
      }
      // About 18 sentences an article: far from one per article (nothing split) or one per word (everything split).
      expect(count / texts.length).toBeGreaterThan(12);
      expect(count / texts.length).toBeLessThan(30);
    });
  });
}

describe('splitSentences on text with no sentence ends', () => {
  // A 4.9 MB one-line file was one 4.9 MB sentence, and so one 4.9 MB quote.
  it('cuts a run-on line into pieces of at most MAX_SENTENCE_CHARS, between words where it can, losing nothing', () => {
    const words = 'the junta closed the borders and the airspace ';
    const text = `${words.repeat(20_000)}\n${'x'.repeat(10_000)}\n${'😀'.repeat(3_000)}`;
    const spans = splitSentences(text);
    let covered = 0;
    for (const [i, span] of spans.entries()) {
      expect(span.end - span.start).toBeLessThanOrEqual(MAX_SENTENCE_CHARS);
      expect(span.end - span.start).toBeGreaterThan(0);
      if (i > 0) expect(span.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
      covered += text.slice(span.start, span.end).replace(/\s/g, '').length;
    }
    expect(covered).toBe(text.replace(/\s/g, '').length);
    // In prose, every piece ends at a word's end; an emoji's surrogate pair is never split.
    const prose = spans.filter((s) => s.end <= words.length * 20_000);
    expect(prose.every((s) => /\s/.test(text[s.end] ?? ' '))).toBe(true);
    expect(spans.every((s) => !/[\uDC00-\uDFFF]/.test(text[s.start]!))).toBe(true);
  });
});
