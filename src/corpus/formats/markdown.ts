// Markdown articles: YAML front matter (title, outlet, url, published, byline, dateline) over the body.
import { createRequire } from 'node:module';
import type matterType from 'gray-matter';
import { ArticleFileError } from '../errors.js';
import { describeSchemaError, givenMetadataSchema } from '../metadata.js';
import type { SourceFormat } from './source-format.js';

// gray-matter loads on the first Markdown article, not in every command that might read one.
const require = createRequire(import.meta.url);
const matter = (): typeof matterType => require('gray-matter') as typeof matterType;

const refuseExecutableFrontMatter = (): never => {
  throw new Error('only YAML front matter is supported (a "---js" block would run code)');
};
// gray-matter evaluates "---js" front matter by default; article files are data and must never run.
const matterOptions = {
  engines: { js: refuseExecutableFrontMatter, javascript: refuseExecutableFrontMatter, coffee: refuseExecutableFrontMatter },
};

interface YamlError extends Error {
  reason?: string;
  mark?: { line: number };
}

export const markdownFormat: SourceFormat = {
  holds: 'one',
  parse(content, file) {
    let parsed: matterType.GrayMatterFile<string>;
    try {
      // Passing options also keeps gray-matter from caching every file's text for the life of the process.
      parsed = matter()(content, matterOptions);
    } catch (error) {
      const yaml = error as YamlError;
      // The front matter starts on line 2 of the file, after the opening "---".
      const where = yaml.mark ? ` at line ${yaml.mark.line + 2}` : '';
      const why = yaml.reason ?? yaml.message;
      throw new ArticleFileError(
        file,
        `broken front matter${where}: ${why} (fix the YAML between the "---" lines, or check the closing "---" is there)`,
        { cause: error },
      );
    }
    const metadata = givenMetadataSchema.safeParse(parsed.data);
    if (!metadata.success) {
      throw new ArticleFileError(file, `invalid front matter: ${describeSchemaError(metadata.error)}`);
    }
    return { records: [{ key: null, location: null, text: parsed.content, given: metadata.data }], rejected: [] };
  },
};
