/**
 * Helpers of the startup pages: reporting periods, turning form values into
 * request bodies (and back), and grouping server field errors such as
 * "answers.funding" or "metrics.exports.unit" by the question or indicator
 * they belong to.
 */
import { ApiError } from '../../api/client';
import { METRICS, type MetricInput, type ReportBody, type ReportRevision } from '../../api/reports';
import type { Answer } from '../../api/applications';
import type { MoneyUnit, Question } from '../../api/intakeCalls';
import type { TFunc } from '../../i18n';
import { fieldMessage, type FieldLabels } from '../../lib/formErrors';
import { chinaDate } from '../../lib/reportDeadline';

// Periods (reports are dated by the calendar in China, UTC+8).

/** chinaToday is today's date in China as YYYY-MM-DD. */
export function chinaToday(now: Date = new Date()): string {
  return chinaDate(now);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** periodEnd is the last day (YYYY-MM-DD) of "2026-Q3" or "2026-07"; undefined when malformed. */
export function periodEnd(period: string): string | undefined {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) {
    const year = Number(q[1]);
    const lastMonth = Number(q[2]) * 3;
    return `${year}-${pad2(lastMonth)}-${pad2(new Date(Date.UTC(year, lastMonth, 0)).getUTCDate())}`;
  }
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    return `${year}-${m[2]}-${pad2(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
  }
  return undefined;
}

export const isPeriod = (s: string | undefined): s is string => !!s && periodEnd(s.toUpperCase()) !== undefined;

/**
 * latestEndedQuarter is the quarter being reported at now: the last one that
 * has ended (a period is reportable on its last day), as the server counts it.
 */
export function latestEndedQuarter(now: Date = new Date()): string {
  const today = chinaToday(now);
  let year = Number(today.slice(0, 4));
  let quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  if ((periodEnd(`${year}-Q${quarter}`) ?? '') > today) {
    quarter -= 1;
    if (quarter === 0) {
      quarter = 4;
      year -= 1;
    }
  }
  return `${year}-Q${quarter}`;
}

/** quarterOf is the quarter ("2026-Q2") a date (YYYY-MM-DD) falls in. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** nextQuarter is the quarter after "2026-Q4": "2027-Q1". */
export function nextQuarter(q: string): string {
  const [y, n] = q.split('-Q').map(Number);
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
}

/**
 * residencyStart is the first day the company was in residence anywhere:
 * the earliest move-in (or admission, before moving in) of its residencies.
 */
export function residencyStart(residencies: readonly { admitted_on?: string; moved_in_on?: string | null }[]): string | undefined {
  const days = residencies.map((r) => r.moved_in_on || r.admitted_on).filter((d): d is string => !!d);
  return days.length ? days.sort()[0] : undefined;
}

/**
 * defaultReportPeriod is the quarter the reports page offers first: the
 * earliest quarter since the company moved in that has ended and is not yet
 * submitted (a newly admitted company is never offered a quarter from before
 * its residency); the quarter it moved in when none has ended yet; the latest
 * ended quarter when every one is filed or there is no residency.
 */
export function defaultReportPeriod(start: string | undefined, done: ReadonlySet<string>, now: Date = new Date()): string {
  const latest = latestEndedQuarter(now);
  if (!start) return latest;
  const first = quarterOf(start);
  if (first > latest) return first;
  for (let q = first; q <= latest; q = nextQuarter(q)) if (!done.has(q)) return q;
  return latest;
}

/** recentQuarters lists the n latest ended quarters, newest first. */
export function recentQuarters(n: number, now: Date = new Date()): string[] {
  const out: string[] = [];
  let [y, q] = latestEndedQuarter(now).split('-Q').map(Number);
  for (let i = 0; i < n; i++) {
    out.push(`${y}-Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  return out;
}

/** recentMonths lists the n latest ended months, newest first (for monthly reporting). */
export function recentMonths(n: number, now: Date = new Date()): string[] {
  const today = chinaToday(now);
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  const out: string[] = [];
  if ((periodEnd(`${y}-${pad2(m)}`) ?? '') > today) {
    m -= 1;
  }
  for (let i = 0; i < n; i++) {
    if (m === 0) {
      m = 12;
      y -= 1;
    }
    out.push(`${y}-${pad2(m)}`);
    m -= 1;
  }
  return out;
}

// Server field errors.

export interface GroupedErrors {
  /** prefix ("answers", "metrics", "explanations") → key → messages */
  byPrefix: Record<string, Record<string, string[]>>;
  /** top-level fields without a prefix ("period", "step", ...) → messages */
  fields: Record<string, string[]>;
}

/**
 * groupFieldErrors sorts problem+json field errors: "answers.funding" lands
 * under byPrefix.answers.funding, "metrics.exports.unit" under
 * byPrefix.metrics.exports (the unit belongs to its indicator), "period"
 * under fields.period.
 */
export function groupFieldErrors(err: ApiError, prefixes: readonly string[], t: TFunc, labels?: FieldLabels): GroupedErrors {
  const out: GroupedErrors = { byPrefix: {}, fields: {} };
  for (const f of err.fields) {
    const parts = f.field.replace(/^\//, '').replace(/\//g, '.').replace(/\[(\w+)\]/g, '.$1').split('.');
    const msg = fieldMessage(f, t, labels);
    if (parts.length >= 2 && prefixes.includes(parts[0])) {
      const group = (out.byPrefix[parts[0]] ??= {});
      (group[parts[1]] ??= []).push(msg);
    } else {
      (out.fields[parts[0]] ??= []).push(msg);
    }
  }
  return out;
}

// Application answers.

export type AnswerValue = string | number | null | undefined;

/**
 * toAnswers builds the answers body from form values: blank answers are left
 * out (a draft may be partial), money carries the question's unit, text is trimmed.
 */
export function toAnswers(questions: readonly Question[], values: Record<string, AnswerValue> | undefined): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const q of questions) {
    const v = values?.[q.key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && v.trim() === '') continue;
    switch (q.type) {
      case 'money':
        out[q.key] = { amount: Number(v), unit: (q.unit ?? 'thousand_yuan') as MoneyUnit };
        break;
      case 'number':
        out[q.key] = Number(v);
        break;
      default:
        out[q.key] = typeof v === 'string' ? v.trim() : String(v);
    }
  }
  return out;
}

/** fromAnswers fills the form from saved answers (money shows its amount; the unit is the question's). */
export function fromAnswers(questions: readonly Question[], answers: Record<string, Answer> | undefined): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {};
  for (const q of questions) {
    const a = answers?.[q.key];
    if (a === undefined || a === null) continue;
    if (typeof a === 'object') out[q.key] = a.amount;
    else out[q.key] = a;
  }
  return out;
}

// Metric reports.

export interface ReportFormValues {
  metrics?: Record<string, number | null | undefined>;
  units?: Record<string, MoneyUnit | undefined>;
  explanations?: Record<string, string | undefined>;
}

export const DEFAULT_MONEY_UNIT: MoneyUnit = 'thousand_yuan';

/** toReportBody builds a save: blank indicators are left out, money states its unit (千元 unless chosen). */
export function toReportBody(v: ReportFormValues, submit: boolean): ReportBody {
  const metrics: Record<string, MetricInput> = {};
  for (const d of METRICS) {
    const n = v.metrics?.[d.key];
    if (n === undefined || n === null || (typeof n === 'string' && n === '')) continue;
    metrics[d.key] = d.kind === 'money' ? { value: Number(n), unit: v.units?.[d.key] ?? DEFAULT_MONEY_UNIT } : Number(n);
  }
  const explanations: Record<string, string> = {};
  for (const [k, text] of Object.entries(v.explanations ?? {})) {
    const s = (text ?? '').trim();
    if (s) explanations[k] = s;
  }
  return { metrics, explanations, submit };
}

/** fromRevision fills the form with what the company entered last time, in the unit it used. */
export function fromRevision(rev: ReportRevision | undefined): ReportFormValues {
  const metrics: Record<string, number> = {};
  const units: Record<string, MoneyUnit> = {};
  for (const d of METRICS) {
    if (d.kind === 'money') units[d.key] = DEFAULT_MONEY_UNIT;
    const m = rev?.metrics?.[d.key];
    if (!m) continue;
    metrics[d.key] = m.entered;
    if (d.kind === 'money' && m.entered_unit) units[d.key] = m.entered_unit;
  }
  return { metrics, units, explanations: { ...(rev?.explanations ?? {}) } };
}
