import { Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { getHealth, listRows, type CarrierHealth, type CarrierRow, type RollupFilters } from '../../api/rollups';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { ErrorAlert } from '../ErrorAlert';
import { DrillNumber, type DrillSpec } from './drill';
import { ExportButtons } from './ExportButtons';
import { useRollupLabels } from './labels';

const PAGE = 200;
/** A bound on the pages read for the comparison (200 × 25 carriers); the export has them all. */
const MAX_PAGES = 25;

export type ComparisonRow = CarrierRow & Partial<Omit<CarrierHealth, 'carrier_id' | 'carrier_name'>>;

/** allCarrierRows reads every carrier row of the filters, page by page. */
async function allCarrierRows(regionId: string, filters: RollupFilters, signal: AbortSignal): Promise<CarrierRow[]> {
  const out: CarrierRow[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const p = await listRows(regionId, 'carriers', { ...filters, page, page_size: PAGE }, signal);
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) break;
  }
  return out;
}

/** joinHealth puts each carrier's reporting health beside its row. */
export function joinHealth(rows: readonly CarrierRow[], health: readonly CarrierHealth[]): ComparisonRow[] {
  const byId = new Map(health.map((h) => [h.carrier_id, h]));
  return rows.map((r) => {
    const h = byId.get(r.carrier_id);
    if (!h) return { ...r };
    const { carrier_id: _i, carrier_name: _n, ...figures } = h;
    void _i;
    void _n;
    return { ...r, ...figures };
  });
}

const num = (k: keyof ComparisonRow) => (a: ComparisonRow, b: ComparisonRow) => ((a[k] as number) ?? 0) - ((b[k] as number) ?? 0);

/**
 * CarrierTable compares the carriers: capacity, area, residents and the
 * reporting health of each, sortable by every column; the residents and
 * the reporting figures open their rows for that carrier.
 */
export function CarrierTable({ regionId, filters }: { regionId: string; filters: RollupFilters }) {
  const { t, lang } = useI18n();
  const l = useRollupLabels();
  const state = useAsync(
    async (signal) => {
      const [rows, health] = await Promise.all([allCarrierRows(regionId, filters, signal), getHealth(regionId, filters, signal)]);
      return joinHealth(rows, health.carriers);
    },
    [regionId, JSON.stringify(filters)],
  );
  const name = (r: ComparisonRow) => (lang === 'en' && r.name_en ? r.name_en : r.name_zh);
  const drill = (r: ComparisonRow, spec: Omit<DrillSpec, 'title' | 'filters'>, label: string, key: string, value: number | undefined) => (
    <DrillNumber spec={{ ...spec, title: `${name(r)} · ${label}`, filters: { carrier_id: r.carrier_id } }} testId={`cmp-${r.carrier_id}-${key}`}>
      {l.num(value)}
    </DrillNumber>
  );
  const health = (key: 'due' | 'submitted' | 'accepted' | 'overdue') => ({
    key,
    title: t(`r.health.${key}`),
    align: 'right' as const,
    sorter: num(key),
    render: (_: unknown, r: ComparisonRow) => drill(r, { table: 'health' }, t(`r.health.${key}`), key, r[key]),
  });
  const columns: ColumnsType<ComparisonRow> = [
    { key: 'name', title: t('r.carriers.name'), fixed: 'left', sorter: (a, b) => name(a).localeCompare(name(b), lang), render: (_, r) => name(r) },
    { key: 'kind', title: t('r.carriers.kind'), sorter: (a, b) => a.kind.localeCompare(b.kind), render: (_, r) => l.kind(r.kind) },
    { key: 'status', title: t('r.carriers.status'), render: (_, r) => l.carrierStatus(r.status) },
    { key: 'capacity', title: t('r.carriers.capacity'), align: 'right', sorter: num('capacity'), render: (_, r) => l.num(r.capacity) },
    {
      key: 'residents',
      title: t('r.carriers.residents'),
      align: 'right',
      sorter: num('residents'),
      defaultSortOrder: 'descend',
      render: (_, r) => drill(r, { table: 'residencies', measure: 'in_residence' }, t('r.carriers.residents'), 'residents', r.residents),
    },
    { key: 'area', title: t('r.carriers.area'), align: 'right', sorter: num('area_m2'), render: (_, r) => l.num(r.area_m2, true) },
    { key: 'used', title: t('r.carriers.areaUsed'), align: 'right', sorter: num('area_used_m2'), render: (_, r) => l.num(r.area_used_m2, true) },
    health('due'),
    health('submitted'),
    health('accepted'),
    health('overdue'),
    {
      key: 'materials',
      title: t('r.health.materials_waiting'),
      align: 'right',
      sorter: num('materials_waiting'),
      render: (_, r) => l.num(r.materials_waiting),
    },
  ];
  return (
    <Card
      title={t('r.carriers.title')}
      size="small"
      data-testid="carrier-table-card"
      extra={
        <span className="rollup-exports">
          <ExportButtons regionId={regionId} table="carriers" query={filters} testId="export-carriers" label={t('r.rows.table.carriers')} />
          <ExportButtons regionId={regionId} table="health" query={filters} testId="export-health" label={t('r.rows.table.health')} />
        </span>
      }
    >
      {state.error ? <ErrorAlert error={state.error} onRetry={state.reload} /> : null}
      <Table
        size="small"
        rowKey="carrier_id"
        data-testid="carrier-table"
        loading={state.loading}
        columns={columns}
        dataSource={state.data ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        footer={() => <Typography.Text type="secondary">{t('common.total', { total: state.data?.length ?? 0 })}</Typography.Text>}
      />
    </Card>
  );
}
