// The answer options people type (command line flags, slash command options), validated once for every front end.
import { z } from 'zod';

/** True for a real calendar day: "2023-02-30" has the right shape but would silently match nothing. */
const isCalendarDate = (s: string) => {
  const date = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
};

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'no such date (expected YYYY-MM-DD)');

export const answerOptionsSchema = z.object({
  k: z.coerce.number().int().min(1).max(10).optional(),
  outlet: z.string().min(1).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
});

/** Reversed date bounds match nothing and would read as "the coverage does not answer": say so instead. */
export function dateRangeProblem(o: { since?: string; until?: string }): string | null {
  return o.since && o.until && o.since > o.until ? `${o.since} is after ${o.until}` : null;
}
