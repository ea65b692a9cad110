import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_SETTINGS, MODEL_SETTINGS, modelSettings, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';

describe('model settings', () => {
  it('gives bge its query instruction, CLS pooling and no passage prefix', () => {
    const s = modelSettings('Xenova/bge-small-en-v1.5');
    expect(s.pooling).toBe('cls');
    expect(s.queryPrefix).toBe('Represent this sentence for searching relevant passages: ');
    expect(s.passagePrefix).toBe('');
    expect(s.maxTokens).toBe(512);
  });

  it('gives e5 models their query/passage prefixes and mean pooling', () => {
    for (const id of ['Xenova/multilingual-e5-small', 'Xenova/e5-base-v2']) {
      expect(modelSettings(id)).toMatchObject({ pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ' });
    }
  });

  it('uses mean pooling without prefixes for MiniLM and the offline model', () => {
    expect(modelSettings('Xenova/all-MiniLM-L6-v2')).toMatchObject({ pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens: 256 });
    expect(modelSettings(OFFLINE_MODEL_ID)).toMatchObject({ pooling: 'mean', queryPrefix: '', passagePrefix: '' });
  });

  it('matches the same model under another owner, and defaults for unknown models', () => {
    expect(modelSettings('BAAI/bge-base-en-v1.5').pooling).toBe('cls');
    expect(modelSettings('someone/unknown-model')).toEqual(DEFAULT_MODEL_SETTINGS);
    expect(DEFAULT_MODEL_SETTINGS).toMatchObject({ pooling: 'mean', queryPrefix: '', passagePrefix: '' });
  });

  it('returns copies, so a caller cannot change the table', () => {
    const s = modelSettings('Xenova/bge-small-en-v1.5');
    s.queryPrefix = 'changed';
    expect(MODEL_SETTINGS['Xenova/bge-small-en-v1.5']!.queryPrefix).not.toBe('changed');
  });
});
