// Lint configuration: typescript-eslint's recommended rules over src/, tests/, bin/ and scripts/, plus the pipeline's
// import rules over src/ (see README, *Architecture*): a stage folder is reached only through its index.ts, and only
// from the stages after it — so "data flows one way, nobody reaches into another folder's files" is checked here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The stage folders of src/ and the stages each may import (the ones before it). Evaluation measures and fits the answer
 * path from beside it: only the command line reaches it, and answer/ (which reads the tuning files it writes) never
 * does. The bot never touches the index, nor evaluation.
 */
const MAY_IMPORT = {
  corpus: [],
  text: ['corpus'],
  embedding: ['corpus', 'text'],
  index: ['corpus', 'text', 'embedding'],
  retrieval: ['corpus', 'text', 'embedding', 'index'],
  answer: ['corpus', 'text', 'embedding', 'index', 'retrieval'],
  evaluation: ['corpus', 'text', 'embedding', 'index', 'retrieval', 'answer'],
  bot: ['corpus', 'text', 'embedding', 'retrieval', 'answer'],
  cli: ['corpus', 'text', 'embedding', 'index', 'retrieval', 'answer', 'evaluation', 'bot'],
};
const STAGES = Object.keys(MAY_IMPORT);

/** The no-restricted-imports patterns for a file `depth` folders below src/<stage>/ (1: src/answer/x.ts). */
function pipelineImports(stage, depth) {
  const up = '\\.\\./'.repeat(depth);
  const forbidden = STAGES.filter((s) => s !== stage && !MAY_IMPORT[stage].includes(s));
  const patterns = [
    {
      regex: `^${up}(${STAGES.join('|')})/(?!index\\.js$)`,
      message: "Another stage's files are private: import what it offers from its index.ts (`../<stage>/index.js`).",
    },
  ];
  if (forbidden.length > 0) {
    patterns.push({
      regex: `^${up}(${forbidden.join('|')})/`,
      message: `Data flows corpus → text → embedding → index → retrieval → answer → bot and cli, and answer → evaluation → cli: ${stage} may import only ${MAY_IMPORT[stage].join(', ') || 'no other stage'}.`,
    });
  }
  return ['error', { patterns }];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist.building-*/', 'dist.old-*/', 'embeddings/', 'models/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...STAGES.flatMap((stage) => [
    { files: [`src/${stage}/*.ts`], rules: { 'no-restricted-imports': pipelineImports(stage, 1) } },
    { files: [`src/${stage}/*/*.ts`], rules: { 'no-restricted-imports': pipelineImports(stage, 2) } },
  ]),
);
