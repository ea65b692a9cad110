// The evaluation module's public surface, for the command line (`coverage-bot eval`, `bench`): question files, the
// pipeline scored beside two BM25 recipes, the sweep of retrieval settings, k-fold cross-validation of each model's
// fit, and the fit itself, which `eval --tune` writes as the model's tuning file.
export { groupBy, heldOutCost, scoreOutcomes, type Outcome, type OutcomeScores, type SweepSample } from './cross-validation.js';
export { askOptions, evaluate, formatEvaluation, indexedArticles, readQuestions } from './evaluate.js';
export { crossValidate, FIT_VARIANTS, fitOn, outcomeOf, variantName, type AnswerWith, type FitVariant } from './fit-tuning.js';
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
export { writeTuning } from './write-tuning.js';
