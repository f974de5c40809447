import { Card, Table } from 'antd';
import { lazy, Suspense } from 'react';
import { getFlows, getReports, type ResidencyMeasure, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { trendOption, type TrendSeries } from './charts';
import { DrillNumber, useDrill, type DrillSpec } from './drill';
import { useRollupLabels } from './labels';

const Chart = lazy(() => import('./Chart'));

interface Line {
  key: string;
  kind: 'bar' | 'line';
  right?: boolean;
  money?: boolean;
  measure?: ResidencyMeasure;
}

const LINES: Line[] = [
  { key: 'in_residence', kind: 'line', measure: 'in_residence' },
  { key: 'admitted', kind: 'bar', measure: 'admitted' },
  { key: 'graduated', kind: 'bar', measure: 'graduated' },
  { key: 'promoted', kind: 'bar', measure: 'promoted' },
  { key: 'rd_expenditure', kind: 'line', right: true, money: true },
];

/**
 * TrendsCard shows the last quarters (one `period` each): flows as bars, the
 * companies in residence and the R&D spend as lines; each value opens its rows.
 */
export function TrendsCard({ regionId, filters, quarters }: { regionId: string; filters: RollupFilters; quarters: string[] }) {
  const { t } = useI18n();
  const l = useRollupLabels();
  const open = useDrill();
  const state = useAsync(
    (signal) =>
      Promise.all(
        quarters.map(async (period) => {
          const f = { ...filters, period };
          const [flows, reports] = await Promise.all([getFlows(regionId, f, signal), getReports(regionId, f, signal)]);
          return { period, flows: flows.companies, rd: reports.sums.rd_expenditure };
        }),
      ),
    [regionId, JSON.stringify(filters), quarters.join()],
  );
  const data = state.data ?? [];
  const valueOf = (line: Line, i: number) => (line.measure ? (data[i]?.flows[line.measure] ?? 0) : (data[i]?.rd ?? 0));
  const nameOf = (line: Line) => (line.measure ? l.measure(line.measure) : `${l.sum(line.key)}（${t('r.unit.thousand')}）`);
  const spec = (line: Line, period: string): DrillSpec => ({
    table: line.measure ? 'residencies' : 'reports',
    measure: line.measure,
    title: `${nameOf(line)} · ${period}`,
    filters: { period },
  });
  const series: TrendSeries[] = LINES.map((line) => ({
    key: line.key,
    name: nameOf(line),
    kind: line.kind,
    right: line.right,
    values: data.map((_, i) => valueOf(line, i)),
  }));

  return (
    <Card title={t('r.trends.title')} size="small" data-testid="trends-card" loading={state.loading && !state.data}>
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      {data.length > 0 ? (
        <Suspense fallback={null}>
          <Chart
            testId="trends-chart"
            height={280}
            option={trendOption(quarters, series, t('r.unit.thousand'))}
            onClick={(e) => {
              const line = LINES.find((x) => x.key === e.seriesId);
              const period = e.dataIndex !== undefined ? quarters[e.dataIndex] : undefined;
              if (line && period) open(spec(line, period));
            }}
          />
        </Suspense>
      ) : null}
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={LINES}
        data-testid="trends-table"
        columns={[
          { key: 'name', title: t('r.trends.quarter'), fixed: 'left', render: (_, line) => nameOf(line) },
          ...quarters.map((q, i) => ({
            key: q,
            title: q,
            align: 'right' as const,
            render: (_: unknown, line: Line) => (
              <DrillNumber spec={spec(line, q)} testId={`trend-${line.key}-${q}`}>
                {l.num(valueOf(line, i), line.money)}
              </DrillNumber>
            ),
          })),
        ]}
      />
    </Card>
  );
}
