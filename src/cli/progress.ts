// Progress output for long commands: a bar on a terminal, nothing when output is piped or JSON is asked for; and the
// notices said meanwhile (a model that could not load, a lock waited for), each on a line of its own.
import cliProgress from 'cli-progress';
import { printableText } from '../printable.js';

export interface ProgressReporter {
  /** `fraction`: the share of the stage's work done, when counting items would mislead the estimate of the time left. */
  update(stage: string, done: number, total: number, fraction?: number): void;
  /** Prints one notice on stderr, on its own line: a bar running is ended first (the next update starts another). */
  notice(message: string): void;
  stop(): void;
}

/** A notice as printed on stderr, with nothing in it a terminal would obey (it can name files and outlets). */
export function writeNotice(message: string): void {
  process.stderr.write(`${printableText(message)}\n`);
}

/** "12 s left", "2 min 5 s left"; nothing while the rate is unknown (cli-progress would print its "INF" cut to "NFs") or under a second. */
export function timeLeft(etaSeconds: unknown): string {
  if (typeof etaSeconds !== 'number' || !Number.isFinite(etaSeconds) || etaSeconds < 1) return '';
  const s = Math.round(etaSeconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s left` : `${s} s left`;
}

/**
 * Seconds left when `fraction` of the work took `elapsedSeconds`; undefined while too little is done to tell. Embedding
 * goes shortest text first, so its count runs ahead of its work: a 40-minute first build said "3 min left" at a third of
 * its texts when estimated by count.
 */
export function estimateSecondsLeft(elapsedSeconds: number, fraction: number): number | undefined {
  if (!(fraction > 0.005) || fraction >= 1 || elapsedSeconds <= 0) return undefined;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

/** One line of the bar: the stage, the bar, done/total and the time left when it is known. */
export function progressLine(stage: string, bar: string, done: number, total: number, etaSeconds: unknown): string {
  const left = done > 0 && done < total ? timeLeft(etaSeconds) : '';
  return `${stage.padEnd(6)} [${bar}] ${done}/${total}${left ? ` (${left})` : ''}`;
}

/** A progress bar on stderr when it is a terminal; silent otherwise so logs and pipes stay clean. */
export function progressReporter(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return { update() {}, notice: writeNotice, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      hideCursor: true,
      format: (options, params, payload: { stage?: string; eta?: number | null }) =>
        progressLine(
          payload.stage ?? '',
          cliProgress.Format.BarFormat(params.progress, options),
          params.value,
          params.total,
          payload.eta === undefined ? params.eta : payload.eta,
        ),
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let current = { stage: '', total: 0 };
  let stageStarted = performance.now();
  return {
    update(stage, done, total, fraction) {
      if (started && (stage !== current.stage || total !== current.total)) {
        // A new stage (or step of one) counts something else at another rate: its own line, its own time estimate.
        // The stages run one after another, so the one before is done, whether or not it said so last ('index' says
        // 0/1 when it starts and nothing when it ends): its line is left full, not as it was last told.
        bar.update(current.total);
        bar.stop();
        started = false;
      }
      if (!started) {
        if (stage !== current.stage) stageStarted = performance.now();
        bar.start(total, done, { stage });
        started = true;
      }
      current = { stage, total };
      // null: no estimate yet (not cli-progress's own, which counts items).
      const eta = fraction === undefined ? undefined : (estimateSecondsLeft((performance.now() - stageStarted) / 1000, fraction) ?? null);
      bar.update(done, { stage, eta });
    },
    notice(message) {
      // Written after a live bar, a notice would share its line and be cut off by its next redraw.
      if (started) bar.stop();
      started = false;
      writeNotice(message);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
