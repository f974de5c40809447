import { Alert } from 'antd';
import type { Residency } from '../../api/residencies';
import { useI18n } from '../../i18n';
import { localizedName } from '../../lib/names';

/**
 * ConcurrentResidencyAlert warns that the company is open at other carriers
 * at the same time (issue 11, item 2): the district counts it once. The API
 * lists them only to the staff of the company's carriers, the district and
 * the company itself; for anyone else the list is absent and nothing shows.
 */
export function ConcurrentResidencyAlert({ residency }: { residency: Residency }) {
  const { t, lang } = useI18n();
  const others = residency.concurrent ?? [];
  if (others.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="residency-concurrent"
      message={others.map((o) => (
        <div key={o.carrier_id} data-testid="residency-concurrent-item">
          {t('o.res.concurrent', { carrier: localizedName(lang, { name_zh: o.carrier_name, name_en: o.carrier_name_en }), since: o.since })}
        </div>
      ))}
    />
  );
}
