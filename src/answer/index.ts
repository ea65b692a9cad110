// The answer module's public surface. Front ends open a `Coverage` (openCoverage) and format its answers; evaluation
// and tuning (`eval`) reach the measuring parts: question files, BM25 comparisons, cross-validation, tuning files.
export {
  coverageOptionsFromConfig,
  openCoverage,
  requireOutlet,
  sourceProblemNotice,
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
export { CLOSEST_LABEL, citationLine, NO_ANSWER, noAnswerText, numberCitations, type NumberedAnswer } from './format/citations.js';
export { formatJson } from './format/json.js';
export { ANSI, formatTerminal, PLAIN, type TerminalStyle } from './format/terminal.js';
export { classifyQuestion, type AnswerType, type QuestionClass } from './answer-type.js';
export type { Calibration } from './confidence.js';
export { groupBy, heldOutCost, scoreOutcomes, type Outcome, type OutcomeScores, type SweepSample } from './cross-validation.js';
export { evaluate, formatEvaluation, indexedArticles, readQuestions, type EvaluationReport } from './evaluate.js';
export {
  runnableQuestions,
  settingName,
  sweep,
  SWEEP_SETTINGS,
  type BaselineRow,
  type QuestionRun,
  type QuestionSet,
  type SweepSetting,
} from './sweep.js';
export { crossValidate, FIT_VARIANTS, fitOn, outcomeOf, variantName, type AnswerWith, type FitVariant } from './tune.js';
export { sourceTuningDir, TUNING_DIR, tuningFileName, type Tuning } from './tuning.js';
