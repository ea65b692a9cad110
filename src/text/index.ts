// The text module's public surface: sentence spans and passages over an article's cleaned text.
export { splitSentences } from './sentences.js';
export { expandChatShorthand } from './chat.js';
export { blankLongRuns, dropLongRuns, MAX_WORD_CHARS } from './long-tokens.js';
export { normalizeQuestion } from './normalize.js';
export { buildPassages, approximateTokenCount, type PassageOptions } from './passages.js';
export type { Span, Passage } from './types.js';
export { isDemonym, tagText, tagSentence, tagSentences, type SentenceTag, type TagKind } from './tags.js';
export { MIN_ARTICLES_FOR_WORKERS, TaggingPool, taggingWorkersFor } from './tag-pool.js';
