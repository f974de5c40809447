import { Space } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n';

/**
 * CarrierLinks leads from a carrier to its residents and its metric reports.
 * District roles read those pages (the pages themselves offer actions only
 * to the carrier's staff), so the district's carrier list and each carrier's
 * page link to them; a rollup page can use the same links.
 */
export function CarrierLinks({ carrierId, testId = 'carrier-links' }: { carrierId: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Space size="middle" wrap data-testid={testId}>
      <Link to={`/carriers/${carrierId}/residents`} data-testid={`${testId}-residents`}>
        {t('o.menu.residents')}
      </Link>
      <Link to={`/carriers/${carrierId}/reports`} data-testid={`${testId}-reports`}>
        {t('o.menu.reports')}
      </Link>
    </Space>
  );
}
