// Progress output for long commands: a bar on a terminal, nothing when output is piped or JSON is asked for.
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise so logs and pipes stay clean. */
export function progressReporter(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{stage} [{bar}] {value}/{total} ({eta_formatted} left)', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let current = '';
  return {
    update(stage, done, total) {
      if (!started) {
        bar.start(total, done, { stage: stage.padEnd(6) });
        started = true;
      } else if (stage !== current) {
        bar.setTotal(total);
      }
      current = stage;
      bar.update(done, { stage: stage.padEnd(6) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
