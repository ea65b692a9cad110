// The answer module's public surface. Front ends open a `Coverage` (openCoverage) and format its answers; the
// evaluation stage (src/evaluation/) measures and fits what it decides, reading the few parts named below for it.
export {
  coverageOptionsFromConfig,
  openCoverage,
  sourceProblemText,
  UnknownOutletError,
  type CoverageOptions,
  type LoadedCoverage,
} from './coverage.js';
export { QuestionError } from './answer.js';
export { HAND_SET_SCORER, SENTENCE_FEATURES, type SentenceScorer } from './sentences.js';
export type {
  Answer,
  AnswerOptions,
  AnswerOutcome,
  Citation,
  Coverage,
  IndexStatus,
  Quote,
  RefreshOptions,
  SourceDetail,
  SourceProblem,
  SourceSummary,
} from './types.js';
// What a refresh reports as it goes and when done (Coverage.refresh), defined where indexes are built.
export type { IngestProgress, IngestReport } from '../index/index.js';
export { answerOptionsSchema, dateRangeProblem } from './options.js';
export { CLOSEST_LABEL, citationLine, noAnswerText, numberCitations, type NumberedAnswer } from './format/citations.js';
export { formatJson } from './format/json.js';
export { ANSI, formatTerminal, PLAIN, type TerminalStyle } from './format/terminal.js';
export { TUNING_DIR, tuningFileName, type Tuning } from './tuning.js';
// What evaluation measures and fits against: the decision's evidence and probability (the calibration is what it
// fits), how many quotes the closest coverage shows, and whether a quote is verbatim in its source file.
export { confidence, featureVector, type Calibration, type EvidenceFeatures } from './confidence.js';
export { CLOSEST_QUOTES } from './types.js';
export { isVerbatim, type SourceTextReader } from './verify.js';
