import { Breadcrumb, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { getCarrier } from '../../api/carriers';
import { useI18n, type MessageKey } from '../../i18n';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';

/** CarrierHeading is the title of a carrier's flow page: "<carrier> · <page>". */
export function CarrierHeading({ carrierId, titleKey, extra }: { carrierId: string; titleKey: MessageKey; extra?: ReactNode }) {
  const { t, lang } = useI18n();
  const { data: carrier } = useAsync((signal) => getCarrier(carrierId, signal), [carrierId]);
  return (
    <div style={{ marginBottom: 12 }}>
      <Breadcrumb
        items={[
          { title: <Link to={`/carriers/${carrierId}`}>{carrier ? localizedName(lang, carrier) : t('o.common.carrier')}</Link> },
          { title: t(titleKey) },
        ]}
      />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: '8px 0 0' }} data-testid="op-page-title">
          {t(titleKey)}
        </Typography.Title>
        {extra}
      </div>
    </div>
  );
}
