/**
 * Periods of the rollups filters: a quarter ("2026-Q3"), a year ("2026"), an
 * as-of date ("2026-08-15", the year to that day) or none (the year to date).
 * The previous period is what a KPI card compares against.
 */
import type { RollupFilters } from '../../api/rollups';

export type PeriodMode = 'ytd' | 'year' | 'quarter' | 'as_of';
export const PERIOD_MODES: readonly PeriodMode[] = ['ytd', 'quarter', 'year', 'as_of'];

export interface PeriodChoice {
  mode: PeriodMode;
  /** "2026-Q3", "2026" or "2026-08-15"; empty for the year to date */
  value: string;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** choiceOf reads the period of a filter set (period wins; a bad value is the year to date). */
export function choiceOf(f: Pick<RollupFilters, 'period' | 'as_of'>): PeriodChoice {
  if (f.period && QUARTER.test(f.period)) return { mode: 'quarter', value: f.period };
  if (f.period && YEAR.test(f.period)) return { mode: 'year', value: f.period };
  if (f.as_of && DATE.test(f.as_of)) return { mode: 'as_of', value: f.as_of };
  return { mode: 'ytd', value: '' };
}

/** periodFilters is a choice as query parameters. */
export function periodFilters(c: PeriodChoice): Pick<RollupFilters, 'period' | 'as_of'> {
  if (c.mode === 'quarter' || c.mode === 'year') return c.value ? { period: c.value } : {};
  if (c.mode === 'as_of') return c.value ? { as_of: c.value } : {};
  return {};
}

export function quarterOf(d: Date): string {
  return `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`;
}

/** shiftQuarter moves a quarter by n (negative: back). */
export function shiftQuarter(q: string, n: number): string {
  const m = QUARTER.exec(q);
  if (!m) return q;
  const idx = Number(m[1]) * 4 + (Number(m[2]) - 1) + n;
  return `${Math.floor(idx / 4)}-Q${(idx % 4) + 1}`;
}

/** lastQuarters are the n quarters ending with `end`, oldest first. */
export function lastQuarters(end: string, n = 8): string[] {
  return Array.from({ length: n }, (_, i) => shiftQuarter(end, i - (n - 1)));
}

/** A date a year earlier; 29 February becomes 28 February. */
function yearBefore(date: string): string {
  const m = DATE.exec(date);
  if (!m) return date;
  const y = Number(m[1]) - 1;
  let d = Number(m[3]);
  if (m[2] === '02' && d === 29) d = 28;
  return `${y}-${m[2]}-${pad(d)}`;
}

/**
 * previousChoice is the period a figure is compared with: the quarter or
 * year before, and for a year to a date the previous year to the same date.
 */
export function previousChoice(c: PeriodChoice, today: Date = new Date()): PeriodChoice {
  switch (c.mode) {
    case 'quarter':
      return { mode: 'quarter', value: shiftQuarter(c.value, -1) };
    case 'year':
      return { mode: 'year', value: String(Number(c.value) - 1) };
    case 'as_of':
      return { mode: 'as_of', value: yearBefore(c.value) };
    default:
      return { mode: 'as_of', value: yearBefore(isoDate(today)) };
  }
}

/** endQuarter is the quarter a trend ends with: the chosen period's, else today's. */
export function endQuarter(c: PeriodChoice, today: Date = new Date()): string {
  if (c.mode === 'quarter') return c.value;
  if (c.mode === 'year') return `${c.value}-Q4`;
  if (c.mode === 'as_of') {
    const m = DATE.exec(c.value);
    if (m) return `${m[1]}-Q${Math.floor((Number(m[2]) - 1) / 3) + 1}`;
  }
  return quarterOf(today);
}

/** choiceLabel is a short label of a period for "vs previous (…)". */
export function choiceLabel(c: PeriodChoice): string {
  return c.value;
}
