/**
 * Report deadlines. Periods and due dates are calendar dates in China
 * (UTC+8), so a submission is compared by its China date: one sent at
 * 23:30 on the due date is on time, one at 00:10 the day after is late.
 */

/** chinaDate is the China calendar date (YYYY-MM-DD) of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** submittedLate tells a submission made after its due date. */
export function submittedLate(submittedAt: string | null | undefined, dueOn: string | null | undefined): boolean {
  if (!submittedAt || !dueOn) return false;
  const at = new Date(submittedAt);
  if (Number.isNaN(at.getTime())) return false;
  return chinaDate(at) > dueOn;
}

/** daysLate counts the days between a due date and a later China date (0 when not late). */
export function daysLate(dueOn: string, on: string): number {
  const ms = Date.parse(`${on}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms / 86400000) : 0;
}
