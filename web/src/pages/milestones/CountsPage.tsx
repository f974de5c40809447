import { Card, Table, Typography } from 'antd';
import { useParams } from 'react-router';
import type { CarrierKind } from '../../api/carriers';
import { regionMilestoneCounts, type CarrierCounts } from '../../api/milestones';
import { LoadFailure } from '../../components/ErrorAlert';
import { KindTag } from '../../components/Tags';
import { useMsLabel } from '../../components/milestones/parts';
import { useI18n } from '../../i18n';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';

const COUNTS = ['planned', 'in_progress', 'submitted', 'returned', 'verified', 'waived'] as const;

/** CountsPage is what the district sees of milestones: counts per carrier of its region, never rows. */
export function CountsPage() {
  const { regionId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useMsLabel();
  const list = useAsync((signal) => regionMilestoneCounts(regionId, signal), [regionId]);
  return (
    <Card data-testid="milestone-counts">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('m.counts.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('m.counts.hint')}</Typography.Paragraph>
      {list.error ? <LoadFailure error={list.error} onRetry={list.reload} /> : null}
      <Table<CarrierCounts>
        rowKey="carrier_id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="milestone-counts-table"
        columns={[
          {
            title: t('m.field.carrier'),
            key: 'carrier',
            render: (_, c) => (
              <>
                {localizedName(lang, { name_zh: c.carrier_name_zh, name_en: c.carrier_name_en })}{' '}
                {c.carrier_kind ? <KindTag kind={c.carrier_kind as CarrierKind} /> : null}
              </>
            ),
          },
          { title: t('m.counts.total'), dataIndex: 'total', key: 'total' },
          {
            title: t('m.common.overdue'),
            dataIndex: 'overdue',
            key: 'overdue',
            render: (v: number) => <Typography.Text type={v > 0 ? 'danger' : undefined} data-testid="counts-overdue">{v}</Typography.Text>,
          },
          ...COUNTS.map((s) => ({ title: label('state', s), dataIndex: s, key: s })),
        ]}
      />
    </Card>
  );
}
