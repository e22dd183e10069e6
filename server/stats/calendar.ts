// Quarters and days for statistics: the quarter of a day, the day a quarter is released (its end
// plus the embargo), and whole days between two days. Days are UTC calendar days (YYYY-MM-DD).
import { QUARTER_PATTERN } from '../../protocol/stats-api.ts';

const DAY_MS = 86_400_000;

export const today = (): string => new Date().toISOString().slice(0, 10);

/** Whole days since 1970-01-01 of a YYYY-MM-DD day. */
export function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

export const dayOf = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** YYYY-Qn of a YYYY-MM-DD day. */
export function quarterOf(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

function parts(quarter: string): [number, number] {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) throw new Error(`not a quarter: ${quarter}`);
  return [Number(match[1]), Number(match[2])];
}

export function nextQuarter(quarter: string): string {
  const [year, q] = parts(quarter);
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}

/** The first day of a quarter. */
export function quarterStart(quarter: string): string {
  const [year, q] = parts(quarter);
  return `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** The day a quarter is first published: the day after it ends, plus the embargo in days. */
export function releaseDay(quarter: string, embargoDays: number): string {
  return dayOf(dayNumber(quarterStart(nextQuarter(quarter))) + embargoDays);
}

/** Quarters from `first` to `last`, both included (none when last is before first). */
export function quartersBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let q = first; q <= last; q = nextQuarter(q)) out.push(q);
  return out;
}

/** The latest quarter released on `day`: walk back from the day's own quarter. */
export function latestReleased(day: string, embargoDays: number): string {
  let q = quarterOf(day);
  while (releaseDay(q, embargoDays) > day) q = quarterOf(dayOf(dayNumber(quarterStart(q)) - 1));
  return q;
}
