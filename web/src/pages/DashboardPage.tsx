import { BankOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { getRegion } from '../api/regions';
import { listCarriers, CARRIER_KINDS, type CarrierKind } from '../api/carriers';
import { useSession } from '../auth/session';
import KindChart from '../components/KindChart';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

interface Overview {
  total: number;
  active: number;
  byKind: Record<CarrierKind, number>;
}

/**
 * DashboardPage is the region overview. Counts come from list totals (page_size=1
 * per filter), so they stay exact however many carriers a region has.
 */
export default function DashboardPage() {
  const { regionId = '' } = useParams();
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { regionId: current, setRegionId } = useSession();

  useEffect(() => {
    if (regionId && regionId !== current) setRegionId(regionId);
  }, [regionId, current, setRegionId]);

  // The region's name is decoration: a failure here must not hide the numbers.
  const region = useAsync(() => getRegion(regionId).catch(() => undefined), [regionId]);

  const overview = useAsync(
    async (signal): Promise<Overview> => {
      const count = async (q: { kind?: string; status?: string }) =>
        (await listCarriers(regionId, { ...q, page: 1, page_size: 1 }, signal)).total;
      const [total, active, ...kinds] = await Promise.all([
        count({}),
        count({ status: 'active' }),
        ...CARRIER_KINDS.map((kind) => count({ kind })),
      ]);
      const byKind = Object.fromEntries(CARRIER_KINDS.map((k, i) => [k, kinds[i]])) as Record<CarrierKind, number>;
      return { total, active, byKind };
    },
    [regionId],
  );

  const data = overview.data;
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="dashboard-title">
        {region.data ? t('dashboard.titleFor', { region: localizedName(lang, region.data) }) : t('dashboard.title')}
      </Typography.Title>
      {overview.error ? <ErrorAlert error={overview.error} onRetry={overview.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic title={t('dashboard.totalCarriers')} value={data?.total ?? 0} loading={overview.loading} prefix={<BankOutlined />} />
          </Card>
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic
              title={t('dashboard.activeCarriers')}
              value={data?.active ?? 0}
              loading={overview.loading}
              prefix={<CheckCircleOutlined />}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card style={{ height: '100%' }}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('dashboard.chainHint')}
            </Typography.Paragraph>
            <Link to={`/regions/${regionId}/carriers`}>
              <Button type="primary">{t('dashboard.openCarriers')}</Button>
            </Link>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('dashboard.byKind')}>
            {overview.loading && !data ? (
              <Skeleton active />
            ) : data && data.total > 0 ? (
              <KindChart
                seriesName={t('dashboard.carrierCount')}
                data={CARRIER_KINDS.map((k) => ({ label: labels.kind(k), count: data.byKind[k] }))}
              />
            ) : (
              <Empty description={t('dashboard.noCarriers')} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
