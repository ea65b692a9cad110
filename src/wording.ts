// How counts and dates read in everything the program prints or sends: "1 passage" / "2 passages", and one date form
// (YYYY-MM-DD for a day, "YYYY-MM-DD HH:MM UTC" for a moment), the same in the terminal, the chat console and Discord.

/** "1 article", "3 articles", "0 articles"; `plural` for nouns that do not just take an s. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : plural}`;
}

/** A publication date as a day (YYYY-MM-DD), whatever precision the article gave; text that is not a date is kept. */
export function formatDay(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
}

/** A moment (an index build) in UTC to the minute: "2026-12-04 05:31 UTC". */
export function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
