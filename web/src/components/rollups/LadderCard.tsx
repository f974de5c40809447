import { Card, Table } from 'antd';
import { getLadder, LADDER_MEASURES, type LadderMeasure, type LadderRung, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { DrillNumber } from './drill';
import { useRollupLabels } from './labels';

const VALUE: Record<LadderMeasure, (r: LadderRung) => number> = {
  holding: (r) => r.companies,
  new: (r) => r.new,
  expiring: (r) => r.expiring_within_90_days,
};

/** LadderCard is the cultivation ladder (科技型中小企业 → 高新技术企业 → 科技创新领军企业): holding, new, expiring. */
export function LadderCard({ regionId, filters }: { regionId: string; filters: RollupFilters }) {
  const { t } = useI18n();
  const l = useRollupLabels();
  const state = useAsync((signal) => getLadder(regionId, filters, signal), [regionId, JSON.stringify(filters)]);
  return (
    <Card title={t('r.ladder.title')} size="small" data-testid="ladder-card" loading={state.loading && !state.data}>
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      <Table
        size="small"
        rowKey="step"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={state.data?.rungs ?? []}
        data-testid="ladder-table"
        columns={[
          { key: 'step', title: t('r.ladder.step'), render: (_, r) => `${l.ladder(r.step)}` },
          ...LADDER_MEASURES.map((m) => ({
            key: m,
            title: t(`r.ladder.${m}`),
            align: 'right' as const,
            render: (_: unknown, r: LadderRung) => (
              <DrillNumber spec={{ table: 'ladder', step: r.step, measure: m, title: `${l.ladder(r.step)} · ${t(`r.ladder.${m}`)}` }} testId={`ladder-${r.step}-${m}`}>
                {l.num(VALUE[m](r))}
              </DrillNumber>
            ),
          })),
        ]}
      />
    </Card>
  );
}
