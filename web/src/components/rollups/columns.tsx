import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { RollupTable, RowTypes, SumKey } from '../../api/rollups';
import { SUM_KEYS, MONEY_SUMS } from '../../api/rollups';
import type { TFunc } from '../../i18n';
import type { useRollupLabels } from './labels';

type Labels = ReturnType<typeof useRollupLabels>;
type Cols<K extends RollupTable> = ColumnsType<RowTypes[K]>;

const company = (t: TFunc) => [
  { key: 'company', title: t('r.col.company'), dataIndex: 'company_name' },
  { key: 'uscc', title: t('r.col.uscc'), dataIndex: 'uscc', className: 'mono' },
];

/** rowKey is each table's identity of a row. */
export const ROW_KEYS: { [K in RollupTable]: (r: RowTypes[K]) => string } = {
  carriers: (r) => r.carrier_id,
  residencies: (r) => r.residency_id,
  funnel: (r) => `${r.company_id}/${r.carrier_id}`,
  ladder: (r) => r.entry_id,
  reports: (r) => `${r.report_id}/${r.revision}`,
  health: (r) => `${r.carrier_id}/${r.company_id}/${r.period}`,
  milestones: (r) => r.milestone_id,
  conflicts: (r) => r.company_key,
};

/** rowColumns are the drill-down columns of each table; every key is shown by its label. */
export function rowColumns(t: TFunc, l: Labels, nameOf: (zh: string, en: string) => string): { [K in RollupTable]: Cols<K> } {
  return {
    carriers: [
      { key: 'name', title: t('r.carriers.name'), render: (_, r) => nameOf(r.name_zh, r.name_en) },
      { key: 'kind', title: t('r.carriers.kind'), render: (_, r) => l.kind(r.kind) },
      { key: 'status', title: t('r.carriers.status'), render: (_, r) => l.carrierStatus(r.status) },
      { key: 'capacity', title: t('r.carriers.capacity'), align: 'right', render: (_, r) => l.num(r.capacity) },
      { key: 'residents', title: t('r.carriers.residents'), align: 'right', render: (_, r) => l.num(r.residents) },
      { key: 'area', title: t('r.carriers.area'), align: 'right', render: (_, r) => l.num(r.area_m2, true) },
      { key: 'used', title: t('r.carriers.areaUsed'), align: 'right', render: (_, r) => l.num(r.area_used_m2, true) },
    ],
    residencies: [
      ...company(t),
      { key: 'carrier', title: t('r.col.carrier'), dataIndex: 'carrier_name' },
      { key: 'kind', title: t('r.col.kind'), render: (_, r) => l.kind(r.carrier_kind) },
      { key: 'industry', title: t('r.col.industry'), render: (_, r) => (r.industry ? l.industry(r.industry) : '') },
      { key: 'status', title: t('r.col.status'), render: (_, r) => l.residencyStatus(r.status) },
      { key: 'admitted', title: t('r.col.admittedOn'), dataIndex: 'admitted_on' },
      { key: 'moved', title: t('r.col.movedInOn'), dataIndex: 'moved_in_on' },
      { key: 'ended', title: t('r.col.endedOn'), dataIndex: 'ended_on' },
      { key: 'term', title: t('r.col.termEndOn'), dataIndex: 'term_end_on' },
      { key: 'promoted', title: t('r.col.promotedTo'), render: (_, r) => (r.promoted_to_kind ? l.kind(r.promoted_to_kind) : '') },
    ],
    funnel: [
      ...company(t),
      { key: 'carrier', title: t('r.col.carrier'), dataIndex: 'carrier_name' },
      { key: 'entered', title: t('r.col.enteredOn'), dataIndex: 'entered_on' },
      { key: 'months', title: t('r.col.months'), align: 'right', render: (_, r) => l.num(r.months_from_previous, true) },
    ],
    ladder: [
      ...company(t),
      { key: 'step', title: t('r.ladder.step'), render: (_, r) => l.ladder(r.step) },
      { key: 'on', title: t('r.col.stepOn'), dataIndex: 'step_on' },
      { key: 'expiry', title: t('r.col.expiryOn'), dataIndex: 'expiry_on' },
      { key: 'cert', title: t('r.col.certificate'), dataIndex: 'certificate_no' },
    ],
    reports: [
      ...company(t),
      { key: 'period', title: t('r.col.period'), dataIndex: 'period' },
      { key: 'revision', title: t('r.col.revision'), align: 'right', dataIndex: 'revision' },
      { key: 'status', title: t('r.col.status'), render: (_, r) => l.reportStatus(r.status) },
      ...SUM_KEYS.map((k: SumKey) => ({
        key: k,
        title: MONEY_SUMS.has(k) ? `${l.sum(k)}（${t('r.unit.thousand')}）` : l.sum(k),
        align: 'right' as const,
        render: (_: unknown, r: RowTypes['reports']) => l.num(r.figures[k], MONEY_SUMS.has(k)),
      })),
    ],
    health: [
      { key: 'carrier', title: t('r.col.carrier'), dataIndex: 'carrier_name' },
      ...company(t),
      { key: 'period', title: t('r.col.period'), dataIndex: 'period' },
      { key: 'due', title: t('r.col.dueOn'), dataIndex: 'due_on' },
      { key: 'status', title: t('r.col.status'), render: (_, r) => l.reportStatus(r.status) },
      { key: 'revision', title: t('r.col.revision'), align: 'right', render: (_, r) => (r.revision ? r.revision : '') },
      {
        key: 'overdue',
        title: t('r.col.overdue'),
        render: (_, r) => (r.overdue ? <Tag color="red">{t('r.yes')}</Tag> : t('r.no')),
      },
    ],
    milestones: [
      { key: 'carrier', title: t('r.col.carrier'), dataIndex: 'carrier_name' },
      ...company(t),
      { key: 'title', title: t('r.col.milestone'), dataIndex: 'title_zh' },
      { key: 'category', title: t('r.col.category'), render: (_, r) => l.milestoneCategory(r.category) },
      { key: 'state', title: t('r.col.status'), render: (_, r) => l.milestoneState(r.state) },
      { key: 'due', title: t('r.col.dueOn'), dataIndex: 'due_on' },
    ],
    conflicts: [
      ...company(t),
      {
        key: 'carriers',
        title: t('r.conflicts.carriers'),
        render: (_, r) => r.carriers.map((c) => <Tag key={c.residency_id}>{c.carrier_name}</Tag>),
      },
    ],
  };
}
