// Progress output for long commands: a bar on a terminal, nothing when output is piped or JSON is asked for.
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

/** "12 s left", "2 min 5 s left"; nothing while the rate is unknown (cli-progress would print its "INF" cut to "NFs") or under a second. */
export function timeLeft(etaSeconds: unknown): string {
  if (typeof etaSeconds !== 'number' || !Number.isFinite(etaSeconds) || etaSeconds < 1) return '';
  const s = Math.round(etaSeconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s left` : `${s} s left`;
}

/** One line of the bar: the stage, the bar, done/total and the time left when it is known. */
export function progressLine(stage: string, bar: string, done: number, total: number, etaSeconds: unknown): string {
  const left = done > 0 && done < total ? timeLeft(etaSeconds) : '';
  return `${stage.padEnd(6)} [${bar}] ${done}/${total}${left ? ` (${left})` : ''}`;
}

/** A progress bar on stderr when it is a terminal; silent otherwise so logs and pipes stay clean. */
export function progressReporter(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      hideCursor: true,
      format: (options, params, payload: { stage?: string }) =>
        progressLine(payload.stage ?? '', cliProgress.Format.BarFormat(params.progress, options), params.value, params.total, params.eta),
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let current = { stage: '', total: 0 };
  return {
    update(stage, done, total) {
      if (started && (stage !== current.stage || total !== current.total)) {
        // A new stage (or step of one) counts something else at another rate: its own line, its own time estimate.
        bar.stop();
        started = false;
      }
      if (!started) {
        bar.start(total, done, { stage });
        started = true;
      }
      current = { stage, total };
      bar.update(done, { stage });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
