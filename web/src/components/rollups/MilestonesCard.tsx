import { Card, Table, Typography } from 'antd';
import { getMilestones, MILESTONE_MEASURES, type CarrierMilestones, type MilestoneMeasure, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { DrillNumber } from './drill';
import { useRollupLabels } from './labels';

/** A line of the card: a carrier's milestones, or the region's total (no carrier). */
type Line = CarrierMilestones & { key: string; total?: boolean };

/**
 * MilestonesCard is the residencies' milestones due in the period, per
 * carrier the caller sees and for the region: planned, due, verified,
 * overdue, waived; each number opens its milestones.
 */
export function MilestonesCard({ regionId, filters }: { regionId: string; filters: RollupFilters }) {
  const { t } = useI18n();
  const l = useRollupLabels();
  const state = useAsync((signal) => getMilestones(regionId, filters, signal), [regionId, JSON.stringify(filters)]);
  const lines: Line[] = state.data
    ? [
        ...state.data.carriers.map((c) => ({ ...c, key: c.carrier_id })),
        { ...state.data.total, key: 'total', total: true, carrier_name: t('r.milestones.total') },
      ]
    : [];
  return (
    <Card title={t('r.milestones.title')} size="small" data-testid="milestones-card" loading={state.loading && !state.data}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('r.milestones.hint')}
      </Typography.Paragraph>
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      <Table<Line>
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={lines}
        data-testid="milestones-table"
        locale={{ emptyText: t('r.empty') }}
        columns={[
          { key: 'carrier', title: t('r.milestones.carrier'), render: (_, r) => (r.total ? <strong>{r.carrier_name}</strong> : r.carrier_name) },
          ...MILESTONE_MEASURES.map((m: MilestoneMeasure) => ({
            key: m,
            title: t(`r.milestones.${m}`),
            align: 'right' as const,
            render: (_: unknown, r: Line) => (
              <DrillNumber
                spec={{
                  table: 'milestones',
                  measure: m,
                  title: `${r.carrier_name} · ${t(`r.milestones.${m}`)}`,
                  filters: r.total ? undefined : { carrier_id: r.carrier_id },
                }}
                testId={`milestones-${r.total ? 'total' : r.carrier_id}-${m}`}
              >
                {l.num(r[m])}
              </DrillNumber>
            ),
          })),
        ]}
      />
    </Card>
  );
}
