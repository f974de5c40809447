import { ShopOutlined } from '@ant-design/icons';
import { Card, Result } from 'antd';
import { useI18n } from '../i18n';

/** MyCompanyPage holds the startup member's place until the incubatees service ships. */
export function MyCompanyPage() {
  const { t } = useI18n();
  return (
    <Card>
      <Result icon={<ShopOutlined />} title={t('company.title')} subTitle={t('company.comingSoon')} data-testid="company-placeholder" />
    </Card>
  );
}
