import type { ReportWarning } from '../api/reports';
import { isMessageKey, type TFunc } from '../i18n';

/**
 * warningText says what a plausibility warning of a metric report means
 * (never its code); amounts in params are 元. The founder's form and the
 * park's review show the same words.
 */
export function warningText(w: ReportWarning, t: TFunc): string {
  const key = `s.warning.${w.code}`;
  if (!isMessageKey(key)) return t('s.warning.other');
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.params ?? {})) params[k] = typeof v === 'number' ? v.toLocaleString() : String(v);
  return t(key, params);
}

