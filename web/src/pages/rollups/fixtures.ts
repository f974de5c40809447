/** Rollups answers shaped as services/rollups/API.md says, for the overview's tests. */
import type { Me } from '../../api/auth';
import type { CarrierRow, CarriersFigure, FlowsFigure, FunnelFigure, HealthFigure, MilestoneRow, MilestonesFigure, LadderFigure, ReportsFigure, ResidencyRow } from '../../api/rollups';

export const officer: Me = {
  user: { id: 'U3', email: 'officer@lixia.demo', display_name: '区科技局 王科长', created_at: '' },
  assignments: [{ role: 'district_viewer', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '历下区', name_en: 'Lixia', region_id: 'R1' }],
};

export const founder: Me = {
  user: { id: 'U9', email: 'founder@lixia.demo', display_name: '创业者', created_at: '' },
  assignments: [{ role: 'startup_member', domain: 'company:K1', domain_kind: 'company', domain_id: 'K1', name_zh: '', name_en: '', region_id: 'R1' }],
};

export const window = { from: '2026-01-01', to: '2026-12-06', label: '2026-12-06' };

/** flowsFor scales one set of flows, so the current, previous and region answers differ. */
export function flowsFor(k: number): FlowsFigure {
  return {
    window,
    companies: { in_residence: 41 * k, admitted: 9 * k, moved_in: 8 * k, graduated: 3 * k, exited: 1 * k, promoted: 2 * k, past_term: 4 * k },
    promotions: [{ from_kind: 'maker_space', to_kind: 'incubator', companies: 2 * k }],
  };
}

export const previousFlows: FlowsFigure = {
  window: { from: '2025-01-01', to: '2025-12-06', label: '2025-12-06' },
  companies: { in_residence: 36, admitted: 9, moved_in: 8, graduated: 5, exited: 1, promoted: 2, past_term: 4 },
  promotions: [],
};

export function carriersFigure(n: number): CarriersFigure {
  const g = { kind: 'incubator', status: 'active', carriers: n, capacity: 120, residents: 41, area_m2: 30000, area_used_m2: 21000 };
  return { window, total: g, groups: [g] };
}

export function reportsFigure(rd: number): ReportsFigure {
  return {
    window,
    money_unit: '千元',
    reports: 57,
    companies: 38,
    sums: { rd_expenditure: rd, revenue: 456789, taxes_paid: 2345, employees_total: 812, ip_filed: 64, ip_granted: 23, financing_amount: 9000 },
    top_rd_spenders: [{ company_id: 'K1', company_name: '济南明湖智能科技有限公司', uscc: '91370102MA3C5T2R03', rd_expenditure: 3210.5 }],
  };
}

export const funnel: FunnelFigure = {
  window,
  steps: [
    { kind: 'maker_space', companies: 20, median_months_from_previous: 0 },
    { kind: 'incubator', companies: 12, median_months_from_previous: 7.5 },
    { kind: 'accelerator', companies: 5, median_months_from_previous: 14 },
    { kind: 'science_park', companies: 2, median_months_from_previous: 20 },
  ],
};

export const ladder: LadderFigure = {
  window,
  rungs: [
    { step: 'tech_sme', companies: 17, new: 6, expiring_within_90_days: 3 },
    { step: 'high_tech', companies: 8, new: 2, expiring_within_90_days: 1 },
    { step: 'leading', companies: 1, new: 0, expiring_within_90_days: 0 },
  ],
};

export const carrierRows: CarrierRow[] = [
  { carrier_id: 'C1', name_zh: '明湖国际信创产业园', name_en: 'Minghu Park', kind: 'science_park', status: 'active', capacity: 50, area_m2: 120000, area_used_m2: 80000, residents: 7 },
  { carrier_id: 'C2', name_zh: '历下创客空间', name_en: 'Lixia Maker Space', kind: 'maker_space', status: 'active', capacity: 30, area_m2: 2000, area_used_m2: 1500, residents: 34 },
];

export const health: HealthFigure = {
  window,
  total: { carrier_id: '', carrier_name: '', due: 41, submitted: 30, accepted: 25, overdue: 11, materials_waiting: 4 },
  carriers: [
    { carrier_id: 'C1', carrier_name: '明湖国际信创产业园', due: 7, submitted: 6, accepted: 5, overdue: 1, materials_waiting: 1 },
    { carrier_id: 'C2', carrier_name: '历下创客空间', due: 34, submitted: 24, accepted: 20, overdue: 10, materials_waiting: 3 },
  ],
};

export const milestones: MilestonesFigure = {
  window,
  total: { carrier_id: '', carrier_name: '', planned: 23, due: 21, verified: 9, overdue: 5, waived: 2 },
  carriers: [
    { carrier_id: 'C1', carrier_name: '明湖国际信创产业园', planned: 8, due: 8, verified: 4, overdue: 1, waived: 0 },
    { carrier_id: 'C2', carrier_name: '历下创客空间', planned: 15, due: 13, verified: 5, overdue: 4, waived: 2 },
  ],
};

export const overdueMilestone: MilestoneRow = {
  milestone_id: 'MS1',
  residency_id: 'RS2',
  company_id: 'K1',
  company_name: '济南明湖智能科技有限公司',
  uscc: '91370102MA3C5T2R03',
  carrier_id: 'C2',
  carrier_name: '历下创客空间',
  title_zh: '完成产品原型',
  category: 'product',
  state: 'in_progress',
  due_on: '2026-06-30',
};

export const graduated: ResidencyRow = {
  residency_id: 'RS1',
  company_id: 'K1',
  company_name: '济南明湖智能科技有限公司',
  uscc: '91370102MA3C5T2R03',
  industry: 'I6511',
  carrier_id: 'C2',
  carrier_name: '历下创客空间',
  carrier_kind: 'maker_space',
  chain_order: 1,
  status: 'graduated',
  admitted_on: '2025-03-01',
  moved_in_on: '2025-03-15',
  ended_on: '2026-05-20',
  term_end_on: '2027-03-01',
  area_m2: 80,
  promoted_to_carrier_id: '',
  promoted_to_kind: '',
};

export const conflict = {
  company_key: '91370102MA3C5T2R03',
  company_id: 'K1',
  company_name: '济南明湖智能科技有限公司',
  uscc: '91370102MA3C5T2R03',
  carriers: [
    { carrier_id: 'C1', carrier_name: '明湖国际信创产业园', residency_id: 'RS1' },
    { carrier_id: 'C2', carrier_name: '历下创客空间', residency_id: 'RS2' },
  ],
};
