// The corpus module's public API: load article files, read an article's source text back, and the shapes they produce.
export { checkSourcesFolder, loadSources, loadFile, readSourceText, SUPPORTED_EXTENSIONS, DEFAULT_MAX_ARTICLE_BYTES, DEFAULT_MAX_CORPUS_FILE_BYTES } from './load.js';
export type { LoadOptions } from './load.js';
export { isIgnored } from './load.js';
export { ArticleFileError, SourcesFolderError } from './errors.js';
export { cleanArticleText, type CleanedText } from './clean.js';
export { articleId } from './metadata.js';
export { withoutMaskedLinks } from './metadata.js';
export type { Article, ArticleMetadata, LoadResult, SkippedFile } from './types.js';
