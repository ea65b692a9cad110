// `coverage-bot ingest`: build or refresh the index from the sources folder and say what changed.
import { Command } from 'commander';
import { printableText } from '../../printable.js';
import { countOf } from '../../wording.js';
import { ingest, ingestOptionsFromConfig, type IngestReport } from '../../index/index.js';
import { addPathOptions, printJson, resolveIndexConfig, type PathOptions } from '../options.js';
import { progressReporter } from '../progress.js';

interface IngestFlags extends PathOptions {
  json?: boolean;
  full?: boolean;
  wait?: boolean;
}

export function formatIngestReport(r: IngestReport): string {
  const lines: string[] = [];
  if (!r.changed) {
    lines.push(`Index is up to date: ${countOf(r.articles, 'article')}, ${countOf(r.passages, 'passage')} (checked in ${r.seconds.toFixed(2)} s).`);
  } else {
    if (r.reason) lines.push(`Full rebuild: ${r.reason}.`);
    lines.push(
      `Indexed ${countOf(r.articles, 'article')}, ${countOf(r.passages, 'passage')} with ${r.model} in ${r.seconds.toFixed(2)} s ` +
        `(${countOf(r.embeddedPassages, 'passage')} and ${countOf(r.embeddedSentences, 'sentence')} embedded` +
        `${r.cachedVectors > 0 ? `, ${countOf(r.cachedVectors, 'vector')} kept from a stopped build` : ''}).`,
    );
    lines.push(`  added ${r.added.length}, updated ${r.updated.length}, removed ${r.removed.length}, unchanged ${r.unchanged}`);
    for (const [label, ids] of [
      ['added', r.added],
      ['updated', r.updated],
      ['removed', r.removed],
    ] as const) {
      if (ids.length > 0 && ids.length <= 20) lines.push(`  ${label}: ${ids.join(', ')}`);
    }
  }
  if (r.skipped.length > 0) {
    lines.push(`Skipped ${countOf(r.skipped.length, 'file')}:`);
    for (const s of r.skipped) lines.push(`  ${s.file}: ${s.reason}`);
  }
  // File names and the reasons quoting them come from the sources folder: nothing in them may act on the terminal.
  return printableText(lines.join('\n'));
}

export const ingestCommand = addPathOptions(
  new Command('ingest')
    .description('build or refresh the index from the article files (only new or changed articles are embedded)')
    .option('--json', 'print one JSON object instead of text')
    .option('--full', 'rebuild everything instead of refreshing')
    .option('--wait', 'wait for a running ingest to finish instead of refusing'),
).action(async (flags: IngestFlags) => {
  const config = await resolveIndexConfig(flags);
  const progress = progressReporter(!flags.json);
  try {
    const report = await ingest({
      ...ingestOptionsFromConfig(config),
      full: flags.full,
      waitMs: flags.wait ? 10 * 60_000 : 0,
      onProgress: (p) => progress.update(p.stage, p.done, p.total, p.fraction),
      log: (message) => progress.notice(message),
    });
    progress.stop();
    if (flags.json) printJson(report);
    else process.stdout.write(`${formatIngestReport(report)}\n`);
  } finally {
    progress.stop();
  }
});
