#!/usr/bin/env node
// Entry point for `coverage-bot` / `npx coverage-bot`: runs the TypeScript CLI through tsx, so no build step sits between `npm ci` and use.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
