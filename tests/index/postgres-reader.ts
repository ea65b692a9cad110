// A second process reading a PostgreSQL store while a test refreshes it (tests/index/postgres-store.test.ts): it asks
// continuously through the Coverage API, reopens when another generation goes live (as a bot does), and prints one
// JSON line per answer: when, the articles its coverage lists, and the article its first quote comes from.
// Usage: DATABASE_URL=postgres://… SOURCES_DIR=… node --import tsx tests/index/postgres-reader.ts
import { openCoverage, type Coverage } from '../../src/answer/index.js';
import { MODELS_DIR } from '../support/index-fixture.js';

const QUESTION = 'Who detained the president?';

let coverage: Coverage = await openCoverage({
  indexDir: '/nonexistent/index-folder',
  store: 'postgres',
  databaseUrl: process.env['DATABASE_URL']!,
  sourcesDir: process.env['SOURCES_DIR']!,
  modelsDir: MODELS_DIR,
  allowRemoteModels: false,
});
let stopping = false;
process.on('SIGTERM', () => (stopping = true));
while (!stopping) {
  if (!(await coverage.isLive())) {
    const previous = coverage;
    coverage = await previous.reopen();
    void previous.close();
  }
  const answer = await coverage.answer(QUESTION, { threshold: 0 });
  const listed = (await coverage.sources()).map((s) => s.id).sort();
  process.stdout.write(`${JSON.stringify({ at: Date.now(), listed, quoted: answer.quotes[0]?.source.id ?? null })}\n`);
}
await coverage.close();
