// `npm run build` (and `prepare`, so `npm install` / `npm ci` run it): compiles src/ to dist/ with tsc and copies the
// data files src/ reads at run time (the per-model tuning files), so `coverage-bot` starts without compiling TypeScript each time.
// It never fails an install: without TypeScript (a production install) or on a compile error, dist/ is removed and
// bin/coverage-bot.js runs the sources through tsx instead, as it does whenever dist/ is older than src/.
//
// The first `npx coverage-bot …` after an install runs `prepare` again. Two rules keep that from breaking a command
// already running from dist/ (which loads files such as dist/text/tag-worker.js long after it starts):
// - a build whose sources are unchanged is not redone: dist/.build-stamp holds a hash of everything the output depends on;
// - a new build is compiled into a folder of its own and swapped in by renames, so dist/ is never half-written or gone
//   for longer than between two renames.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const STAMP = '.build-stamp';
const say = (message) => process.stderr.write(`coverage-bot build: ${message}\n`);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  say('TypeScript is not installed (a production install?): coverage-bot will run its sources through tsx.');
  process.exit(0);
}

/** A hash of what the build's output depends on: every file under src/ (path and content), the build configuration and this script, and the compiler's version. */
function sourcesHash() {
  const hash = createHash('sha256');
  const add = (name, content) => hash.update(`${name}\0${content.length}\0`).update(content);
  const src = path.join(root, 'src');
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .sort();
  for (const file of [...files, 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.js']) {
    const absolute = path.join(root, file);
    if (existsSync(absolute)) add(file, readFileSync(absolute));
  }
  add('typescript', JSON.parse(readFileSync(path.join(path.dirname(tsc), '..', 'package.json'), 'utf8')).version);
  return hash.digest('hex');
}

function readStamp() {
  try {
    return readFileSync(path.join(dist, STAMP), 'utf8').trim();
  } catch {
    return null;
  }
}

const hash = sourcesHash();
if (readStamp() === hash) {
  // bin/coverage-bot.js compares the stamp's time with the sources' (a checkout rewrites them unchanged): renew it.
  const now = new Date();
  utimesSync(path.join(dist, STAMP), now, now);
  say('dist/ is already built from these sources; not rebuilt.');
  process.exit(0);
}

const suffix = `${process.pid}-${Date.now().toString(36)}`;
const building = path.join(root, `dist.building-${suffix}`);
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', building], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  // A half-trusted build is worse than none: the tsx fallback runs the same sources, and `npm run typecheck` reports.
  rmSync(building, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
  say(`tsc failed (${result.error?.message ?? `exit code ${result.status}`}); coverage-bot will run its sources through tsx.`);
  process.exit(0);
}
cpSync(path.join(root, 'src'), building, { recursive: true, filter: (file) => !/\.ts$/.test(file) });
// bin/coverage-bot.js runs dist/ only while this stamp is newer than every file under src/.
writeFileSync(path.join(building, STAMP), `${hash}\n`);

// The swap: the old build steps aside, the new one takes its name, the old one is removed. A directory cannot be renamed
// over a non-empty one, hence two renames; another build finishing first simply wins.
const retired = path.join(root, `dist.old-${suffix}`);
try {
  if (existsSync(dist)) renameSync(dist, retired);
  renameSync(building, dist);
} catch (error) {
  rmSync(building, { recursive: true, force: true });
  say(`another build took dist/'s place first (${error.code ?? error.message}); keeping it.`);
}
rmSync(retired, { recursive: true, force: true });
say(`compiled src/ to dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
