// Figures the benchmarks report: latency percentiles, the process's memory high-water mark, target checks.
import { performance } from 'node:perf_hooks';

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentile (`p` in 0..100) of `sorted` ascending values: always one of the measured values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarizeLatencies(ms: number[]): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    meanMs: sorted.length ? sorted.reduce((s, x) => s + x, 0) / sorted.length : NaN,
  };
}

/** The most resident memory this process has used so far, in MiB (`maxRSS` is in KiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** A figure beside its target; benchmarks print whether it was met and never fail on it. */
export interface TargetCheck {
  /** Human wording of the target, e.g. "≤ 30 ms". */
  target: string;
  limit: number;
  met: boolean;
}

export function atMost(value: number, limit: number, unit: string): TargetCheck {
  return { target: `≤ ${limit} ${unit}`.trimEnd(), limit, met: Number.isFinite(value) && value <= limit };
}

export function atLeast(value: number, limit: number, unit: string): TargetCheck {
  return { target: `≥ ${limit} ${unit}`.trimEnd(), limit, met: Number.isFinite(value) && value >= limit };
}

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}

/**
 * CPU seconds (user + system, all threads) this process used since `start` (a `process.cpuUsage()` reading). Beside
 * the wall time it shows how much other work on the machine slowed a figure down: on a quiet machine single-threaded
 * work has CPU ≈ wall.
 */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
