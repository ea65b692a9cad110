// Per-model tuning files: each committed file is valid and decides sensibly; a model without one gets the conservative
// default with one message, never another model's numbers.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confidence, FEATURE_NAMES, type EvidenceFeatures } from '../../src/answer/confidence.js';
import { CONSERVATIVE_TUNING, loadTuning, readTuning, TUNING_DIR, tuningFileName } from '../../src/answer/tuning.js';

const evidence = (strength: number, similarity: number): EvidenceFeatures => ({
  sentenceScore: strength,
  scoreMargin: strength,
  dense: similarity,
  denseMargin: strength / 10,
  agreement: strength,
  typeMatch: 0,
  termShare: strength,
  namesFound: strength,
});

describe('committed tuning files', () => {
  const files = readdirSync(TUNING_DIR).filter((f) => f.endsWith('.json'));

  it('exist for the offline model and the default model, e5-small-v2', () => {
    expect(files).toContain(tuningFileName('local/wink-sg-100d'));
    expect(files).toContain(tuningFileName('Xenova/e5-small-v2'));
  });

  it.each(files)('%s is valid, names its model, and answers full evidence but not an absence of it', (file) => {
    const tuning = readTuning(path.join(TUNING_DIR, file));
    expect(tuningFileName(tuning.model)).toBe(file);
    expect(tuning.fittedOn.length).toBeGreaterThan(0);
    const { calibration } = tuning;
    expect(confidence(evidence(1, 0.8), calibration)).toBeGreaterThanOrEqual(calibration.threshold);
    expect(confidence(evidence(0, 0), calibration)).toBeLessThan(calibration.threshold);
  });
});

describe('loadTuning', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coverage-bot-tuning-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a model without a file the conservative default and says so once, naming the model and the fix', () => {
    const messages: string[] = [];
    const tuning = loadTuning('Someone/unknown-model', (m) => messages.push(m), dir);
    expect(tuning).toEqual(CONSERVATIVE_TUNING);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/no tuning for Someone\/unknown-model.*conservative defaults.*eval --models/);
  });

  it('the conservative default ignores dense similarity (its scale differs per model) and declines weak evidence', () => {
    const { calibration } = CONSERVATIVE_TUNING;
    expect(calibration.weights[1 + FEATURE_NAMES.indexOf('dense')]).toBe(0);
    expect(confidence(evidence(0.4, 0.99), calibration)).toBeLessThan(calibration.threshold);
    expect(confidence(evidence(0.9, 0), calibration)).toBeGreaterThanOrEqual(calibration.threshold);
  });

  it('reads a model\'s own file', () => {
    const own = { ...CONSERVATIVE_TUNING, model: 'Someone/tuned', denseWeight: 0.6, fittedOn: 'test' };
    writeFileSync(path.join(dir, tuningFileName('Someone/tuned')), JSON.stringify(own));
    const messages: string[] = [];
    expect(loadTuning('Someone/tuned', (m) => messages.push(m), dir).denseWeight).toBe(0.6);
    expect(messages).toEqual([]);
  });

  it.each([
    ['too few weights', { ...CONSERVATIVE_TUNING, calibration: { weights: [1, 2], threshold: 0.5 } }],
    ['a dense share above 1', { ...CONSERVATIVE_TUNING, denseWeight: 1.5 }],
    ['no provenance', { ...CONSERVATIVE_TUNING, fittedOn: undefined }],
  ])('rejects a file with %s, naming the file', (name, content) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(content));
    expect(() => readTuning(file)).toThrow(file);
  });
});
