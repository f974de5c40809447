import { Card, Table, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { getFunnel, type FunnelStep, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { funnelSankey } from './charts';
import { DrillNumber, useDrill } from './drill';
import { useRollupLabels } from './labels';

const Chart = lazy(() => import('./Chart'));

/** FunnelCard is the chain funnel: a sankey, and the steps as a table whose numbers open their companies. */
export function FunnelCard({ regionId, filters }: { regionId: string; filters: RollupFilters }) {
  const { t } = useI18n();
  const l = useRollupLabels();
  const open = useDrill();
  const state = useAsync((signal) => getFunnel(regionId, filters, signal), [regionId, JSON.stringify(filters)]);
  const steps = state.data?.steps ?? [];
  const spec = (s: FunnelStep) => ({ table: 'funnel' as const, step: s.kind, title: `${t('r.funnel.title')} · ${l.kind(s.kind)}` });
  return (
    <Card title={t('r.funnel.title')} size="small" data-testid="funnel-card" loading={state.loading && !state.data}>
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      <Typography.Paragraph type="secondary">{t('r.funnel.hint')}</Typography.Paragraph>
      {steps.some((s) => s.companies > 0) ? (
        <Suspense fallback={null}>
          <Chart
            testId="funnel-sankey"
            height={240}
            option={funnelSankey(steps, l.kind, (k) => t('r.funnel.stopped', { kind: l.kind(k) }))}
            onClick={(e) => {
              const step = (e.data as { step?: string } | undefined)?.step;
              const s = steps.find((x) => x.kind === step);
              if (e.dataType === 'node' && s) open(spec(s));
            }}
          />
        </Suspense>
      ) : null}
      <Table
        size="small"
        rowKey="kind"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={steps}
        data-testid="funnel-table"
        columns={[
          { key: 'kind', title: t('r.funnel.step'), render: (_, s) => l.kind(s.kind) },
          {
            key: 'companies',
            title: t('r.funnel.companies'),
            align: 'right',
            render: (_, s) => (
              <DrillNumber spec={spec(s)} testId={`funnel-${s.kind}`}>
                {l.num(s.companies)}
              </DrillNumber>
            ),
          },
          { key: 'median', title: t('r.funnel.median'), align: 'right', render: (_, s, i) => (i === 0 ? '–' : l.num(s.median_months_from_previous, true)) },
        ]}
      />
    </Card>
  );
}
