import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Card, Col, Row, Skeleton, Typography } from 'antd';
import { getCarriersFigure, getFlows, getReports, type ResidencyMeasure, type RollupFilters, type SumKey } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { DrillNumber, type DrillSpec } from './drill';
import { useRollupLabels } from './labels';

interface Kpis {
  carriers: number;
  flows: Record<ResidencyMeasure, number>;
  sums: Record<SumKey, number>;
}

async function kpis(regionId: string, f: RollupFilters, signal: AbortSignal): Promise<Kpis> {
  const [carriers, flows, reports] = await Promise.all([getCarriersFigure(regionId, f, signal), getFlows(regionId, f, signal), getReports(regionId, f, signal)]);
  return { carriers: carriers.total.carriers, flows: flows.companies, sums: reports.sums };
}

type Card = { key: string; label: string; money?: boolean; pick: (k: Kpis) => number; spec: Omit<DrillSpec, 'title'> };

/** The cards, in the order the district reads them. */
function cards(l: ReturnType<typeof useRollupLabels>, t: ReturnType<typeof useI18n>['t']): Card[] {
  const measure = (m: ResidencyMeasure): Card => ({
    key: m,
    label: l.measure(m),
    pick: (k) => k.flows[m] ?? 0,
    spec: { table: 'residencies', measure: m },
  });
  const sum = (s: SumKey): Card => ({
    key: s,
    label: `${l.sum(s)}（${t('r.unit.thousand')}）`,
    money: true,
    pick: (k) => k.sums[s] ?? 0,
    spec: { table: 'reports' },
  });
  return [
    { key: 'carriers', label: t('r.kpi.carriers'), pick: (k) => k.carriers, spec: { table: 'carriers' } },
    measure('in_residence'),
    measure('admitted'),
    measure('graduated'),
    measure('promoted'),
    measure('exited'),
    sum('rd_expenditure'),
    sum('revenue'),
  ];
}

/**
 * KpiCards are the headline figures with their change against the previous
 * period; on a carrier's overview each also shows the region's total.
 */
export function KpiCards({
  regionId,
  filters,
  previous,
  previousLabel,
  region,
}: {
  regionId: string;
  filters: RollupFilters;
  previous: RollupFilters;
  previousLabel: string;
  /** the region's filters, on a carrier's overview */
  region?: RollupFilters;
}) {
  const { t } = useI18n();
  const l = useRollupLabels();
  const key = JSON.stringify([filters, previous, region]);
  const state = useAsync(
    async (signal) => {
      const [now, prev, all] = await Promise.all([
        kpis(regionId, filters, signal),
        // A failed comparison must not hide the figures themselves.
        kpis(regionId, previous, signal).catch(() => undefined),
        region ? kpis(regionId, region, signal).catch(() => undefined) : Promise.resolve(undefined),
      ]);
      return { now, prev, all };
    },
    [regionId, key],
  );
  if (state.error) return <ErrorAlert error={state.error} onRetry={state.reload} />;
  return (
    <Row gutter={[12, 12]} data-testid="kpi-cards">
      {cards(l, t).map((c) => {
        const now = state.data ? c.pick(state.data.now) : undefined;
        const prev = state.data?.prev ? c.pick(state.data.prev) : undefined;
        const all = state.data?.all ? c.pick(state.data.all) : undefined;
        return (
          <Col xs={24} sm={12} lg={6} key={c.key}>
            <Card size="small" className="rollup-kpi" data-testid={`kpi-${c.key}`}>
              <Typography.Text type="secondary">{c.label}</Typography.Text>
              {state.loading && !state.data ? (
                <Skeleton active paragraph={false} />
              ) : (
                <>
                  <div className="rollup-kpi-value">
                    <DrillNumber spec={{ ...c.spec, title: c.label }} testId={`kpi-${c.key}-value`}>
                      {l.num(now, c.money)}
                    </DrillNumber>
                  </div>
                  <Delta now={now} prev={prev} money={c.money} label={previousLabel} testId={`kpi-${c.key}-delta`} />
                  {all !== undefined ? (
                    <Typography.Text type="secondary" className="rollup-kpi-region" data-testid={`kpi-${c.key}-region`}>
                      {t('r.kpi.region', { value: l.num(all, c.money) })}
                    </Typography.Text>
                  ) : null}
                </>
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

/** Delta is the change against the previous period, with the percentage when there was something before. */
export function Delta({ now, prev, money, label, testId }: { now?: number; prev?: number; money?: boolean; label: string; testId: string }) {
  const { t } = useI18n();
  const l = useRollupLabels();
  if (now === undefined || prev === undefined) return <div className="rollup-delta" data-testid={testId} />;
  const d = now - prev;
  const pct = prev !== 0 ? ` (${d > 0 ? '+' : ''}${((d / prev) * 100).toFixed(1)}%)` : '';
  if (d === 0)
    return (
      <div className="rollup-delta" data-testid={testId}>
        <Typography.Text type="secondary">{t('r.kpi.noChange', { label })}</Typography.Text>
      </div>
    );
  return (
    <div className="rollup-delta" data-testid={testId}>
      <Typography.Text type={d > 0 ? 'success' : 'danger'}>
        {d > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {`${d > 0 ? '+' : '−'}${l.num(Math.abs(d), money)}${pct}`}
      </Typography.Text>{' '}
      <Typography.Text type="secondary">{t('r.kpi.vsPrev', { label })}</Typography.Text>
    </div>
  );
}
