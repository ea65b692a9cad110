// Writing a model's tuning file (eval --tune): the source tree's file when run from the build, and a file the loader
// reads back as written.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSERVATIVE_TUNING, loadTuning, tuningFileName } from '../../src/answer/tuning.js';
import { sourceTuningDir, writeTuning } from '../../src/evaluation/write-tuning.js';

describe('sourceTuningDir', () => {
  it('sends eval --tune run from the compiled build to the source files, which the next build copies', () => {
    expect(sourceTuningDir('/work/app/dist/answer/tuning/')).toBe('/work/app/src/answer/tuning/');
    expect(sourceTuningDir('C:\\app\\dist\\answer\\tuning\\')).toBe('C:\\app\\src\\answer\\tuning\\');
    expect(sourceTuningDir('/work/app/src/answer/tuning/')).toBe('/work/app/src/answer/tuning/');
    // Only the build's own folder: a project that happens to live under a 'dist' folder is left alone.
    expect(sourceTuningDir('/home/dist/app/src/answer/tuning/')).toBe('/home/dist/app/src/answer/tuning/');
  });
});

describe('writeTuning', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coverage-bot-write-tuning-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the model\'s file once outside a build, as the loader reads it back', async () => {
    const tuning = { ...CONSERVATIVE_TUNING, model: 'Example/model-v1', fittedOn: 'a test' };
    const file = path.join(dir, tuningFileName('Example/model-v1'));
    expect(await writeTuning(tuning, dir)).toEqual([file]);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    expect(loadTuning('Example/model-v1', undefined, dir)).toEqual(tuning);
  });
});
