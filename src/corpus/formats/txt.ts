// Plain-text articles: the whole file is the body; what metadata there is, cleaning reads from the text itself.
import { noGivenMetadata } from '../metadata.js';
import type { SourceFormat } from './source-format.js';

export const textFormat: SourceFormat = {
  holds: 'one',
  parse: (content) => ({ records: [{ key: null, location: null, text: content, given: noGivenMetadata }], rejected: [] }),
};
