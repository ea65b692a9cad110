#!/usr/bin/env node
// Entry point for `coverage-bot` / `npx coverage-bot`: runs the compiled build (dist/, made by `npm run build`, which
// `npm install` runs) when it is newer than every source file, else the TypeScript sources through tsx — so an edited
// source is never run stale, and a checkout works with or without a build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

/** Whether dist/ was built after the last change under src/ (a few milliseconds: one stat per source file). */
function buildIsCurrent() {
  if (!existsSync(stamp)) return false;
  const builtAt = statSync(stamp).mtimeMs;
  const src = path.join(root, 'src');
  // A deleted source file changes its folder's mtime, so folders count too.
  if (statSync(src).mtimeMs > builtAt) return false;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > builtAt) return false;
  }
  return true;
}

let main;
if (buildIsCurrent()) {
  ({ main } = await import('../dist/cli/index.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/index.ts'));
}
await main(process.argv);
