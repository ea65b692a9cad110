// The pipeline's import rules in eslint.config.js: another stage is reached only through its index.ts, and only from the
// stages after it (the bot never from the index; evaluation only from the command line). Linted as if the snippets were
// files of src/.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/index-fixture.js';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath: `${REPO_ROOT}/${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('pipeline import rules', () => {
  it('accept a later stage importing an earlier one through its index.ts, and a folder its own files', async () => {
    expect(await importErrors('src/answer/example.ts', "import { x } from '../retrieval/index.js';")).toEqual([]);
    expect(await importErrors('src/bot/commands/example.ts', "import { x } from '../../answer/index.js';")).toEqual([]);
    expect(await importErrors('src/bot/commands/example.ts', "import { x } from '../answers.js';")).toEqual([]);
    expect(await importErrors('src/cli/commands/example.ts', "import { x } from '../bench/query.js';")).toEqual([]);
    expect(await importErrors('src/index/example.ts', "import { x } from '../config.js';")).toEqual([]);
    expect(await importErrors('src/evaluation/example.ts', "import { x } from '../answer/index.js';")).toEqual([]);
    expect(await importErrors('src/cli/commands/example.ts', "import { x } from '../../evaluation/index.js';")).toEqual([]);
  });

  it("refuse another stage's private files, at any depth", async () => {
    expect(await importErrors('src/answer/example.ts', "import { x } from '../index/store.js';")).toEqual([
      expect.stringContaining("Another stage's files are private"),
    ]);
    expect(await importErrors('src/cli/bench/example.ts', "import { x } from '../../answer/format/json.js';")).toEqual([
      expect.stringContaining("Another stage's files are private"),
    ]);
  });

  it('refuse reaching back up the pipeline, and the bot reaching the index', async () => {
    expect(await importErrors('src/corpus/example.ts', "import { x } from '../answer/index.js';")).toEqual([expect.stringContaining('corpus may import only no other stage')]);
    expect(await importErrors('src/index/example.ts', "import { x } from '../retrieval/index.js';")).toEqual([expect.stringContaining('index may import only corpus, text, embedding')]);
    expect(await importErrors('src/bot/example.ts', "import { x } from '../index/index.js';")).toEqual([expect.stringContaining('bot may import only')]);
  });

  it('refuse the answer path and the bot reaching evaluation, which measures and fits the answer path from beside it', async () => {
    expect(await importErrors('src/answer/example.ts', "import { x } from '../evaluation/index.js';")).toEqual([
      expect.stringContaining('answer may import only corpus, text, embedding, index, retrieval.'),
    ]);
    expect(await importErrors('src/answer/format/example.ts', "import { x } from '../../evaluation/index.js';")).toEqual([
      expect.stringContaining('answer may import only'),
    ]);
    expect(await importErrors('src/bot/commands/example.ts', "import { x } from '../../evaluation/index.js';")).toEqual([
      expect.stringContaining('bot may import only'),
    ]);
    expect(await importErrors('src/cli/commands/example.ts', "import { x } from '../../evaluation/fit-tuning.js';")).toEqual([
      expect.stringContaining("Another stage's files are private"),
    ]);
  });
});
