// `npm run build` (and `prepare`, so `npm install` / `npm ci` run it): compiles src/ to dist/ with tsc and copies the
// data files src/ reads at run time (the per-model tuning files), so `coverage-bot` starts without compiling TypeScript each time.
// It never fails an install: without TypeScript (a production install) or on a compile error, dist/ is removed and
// bin/coverage-bot.js runs the sources through tsx instead, as it does whenever dist/ is older than src/.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const say = (message) => process.stderr.write(`coverage-bot build: ${message}\n`);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  say('TypeScript is not installed (a production install?): coverage-bot will run its sources through tsx.');
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  // A half-trusted build is worse than none: the tsx fallback runs the same sources, and `npm run typecheck` reports.
  rmSync(dist, { recursive: true, force: true });
  say(`tsc failed (${result.error?.message ?? `exit code ${result.status}`}); coverage-bot will run its sources through tsx.`);
  process.exit(0);
}
cpSync(path.join(root, 'src'), dist, { recursive: true, filter: (file) => !/\.ts$/.test(file) });
// bin/coverage-bot.js runs dist/ only while this stamp is newer than every file under src/.
writeFileSync(path.join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
say(`compiled src/ to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
