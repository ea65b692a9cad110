// `coverage-bot sources`: list the indexed articles with their metadata and passage counts.
import { Command } from 'commander';
import { citationLine, type SourceSummary } from '../../answer/index.js';
import { printableText } from '../../printable.js';
import { countOf, formatMoment } from '../../wording.js';
import { openPassageStore, storeLocationFromConfig } from '../../index/index.js';
import { addPathOptions, printJson, resolveConfig, withIngestHint, type PathOptions } from '../options.js';


export const sourcesCommand = addPathOptions(
  new Command('sources').description('list the indexed articles').option('--json', 'print a JSON array'),
  { index: true },
).action(async (flags: PathOptions & { json?: boolean }) => {
  const config = resolveConfig(flags);
  const index = await withIngestHint(flags, () => openPassageStore({ ...storeLocationFromConfig(config), search: false }));
  const rows: SourceSummary[] = (await index.listArticles()).map((a) => ({
    id: a.id,
    title: a.title,
    outlet: a.outlet,
    published: a.published,
    byline: a.byline,
    url: a.url,
    file: a.file,
    passages: a.passages,
  }));
  await index.close();
  if (flags.json) return printJson(rows);
  for (const r of rows) {
    // Titles, outlets, bylines and file names come from the articles: a terminal must not take them for commands.
    process.stdout.write(
      printableText(
        `${r.id}  ${citationLine(r)}\n` +
          `    file ${r.file} · ${countOf(r.passages, 'passage')}${r.url ? ` · ${r.url}` : ''}${r.byline ? `\n    ${r.byline}` : ''}\n`,
      ),
    );
  }
  process.stdout.write(
    `${countOf(rows.length, 'article')}, ${countOf(index.manifest.counts.passages, 'passage')} (model ${index.manifest.model.id}, built ${formatMoment(index.manifest.builtAt)}).\n`,
  );
});
