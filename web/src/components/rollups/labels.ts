import { useMemo } from 'react';
import { isMessageKey, useI18n } from '../../i18n';
import { useLabels } from '../Tags';

/**
 * useRollupLabels names every key the rollups answer with (measures, sums,
 * ladder rungs, statuses, carrier kinds, industries) through the catalogues,
 * and formats numbers in the current language.
 */
export function useRollupLabels() {
  const { t, lang } = useI18n();
  const base = useLabels();
  return useMemo(() => {
    const label = (prefix: string, v: string) => {
      const key = `${prefix}.${v}`;
      return isMessageKey(key) ? t(key) : v;
    };
    const int = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    const dec = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    return {
      kind: base.kind,
      carrierStatus: base.status,
      industry: (code: string) => {
        const name = base.industry(code);
        return name ? `${code} · ${name}` : code;
      },
      measure: (m: string) => label('r.measure', m),
      sum: (s: string) => label('r.sum', s),
      ladder: (s: string) => label('r.ladder', s),
      residencyStatus: (s: string) => label('r.resStatus', s),
      reportStatus: (s: string) => label('r.reportStatus', s),
      milestoneState: (s: string) => label('m.state', s),
      milestoneCategory: (s: string) => label('m.category', s),
      /** num shows a count as an integer and money (千元) with one decimal at most. */
      num: (n: number | undefined | null, money = false) =>
        n === undefined || n === null || !Number.isFinite(n) ? '–' : (money ? dec : int).format(n),
    };
  }, [t, lang, base]);
}
