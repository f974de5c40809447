import type { Me } from '../api/auth';
import type { Milestone, Plan } from '../api/milestones';

/** Fixtures shaped like services/milestones/API.md. */
export const milestone = (over: Partial<Milestone> = {}): Milestone => ({
  id: 'M1',
  residency_id: 'RS1',
  company_id: 'K1',
  carrier_id: 'C1',
  region_id: 'R1',
  title_zh: '取得首笔营业收入',
  title_en: 'First revenue',
  category: 'revenue',
  criteria: '首份销售合同及对应发票或到账凭证',
  target: { value: 1, unit: 'thousand_yuan' },
  evidence_types: ['milestone_evidence', 'financial_statements'],
  due_on: '2026-08-29',
  owner_id: '',
  state: 'planned',
  overdue: false,
  percent: null,
  figure: null,
  evidence: [],
  updated_at: '2026-03-03T00:00:00Z',
  carrier_kind: 'incubator',
  carrier_name_zh: '历下科技企业孵化器',
  carrier_name_en: 'Lixia Incubator',
  chain_order: 2,
  company_name_zh: '济南明湖智能科技有限公司',
  plan_status: 'open',
  outcome: '',
  ...over,
});

export const plan = (milestones: Milestone[], over: Partial<Plan> = {}): Plan => ({
  residency_id: 'RS1',
  company_id: 'K1',
  carrier_id: 'C1',
  region_id: 'R1',
  carrier_kind: 'incubator',
  status: 'open',
  admitted_on: '2026-03-01',
  moved_in_on: '2026-03-01',
  ended_on: '',
  outcome: '',
  to_residency_id: '',
  base_date: '2026-03-01',
  template_id: '',
  template_version: 0,
  milestones,
  ...over,
});

export const founder: Me = {
  user: { id: 'UF', email: 'founder@lixia.demo', display_name: '创业者 陈总', created_at: '' },
  assignments: [{ role: 'startup_member', domain: 'company:K1', domain_kind: 'company', domain_id: 'K1', name_zh: '济南明湖智能科技有限公司', name_en: '', region_id: 'R1' }],
};

export const incubatorOperator: Me = {
  user: { id: 'UO', email: 'incubator@lixia.demo', display_name: '孵化器 周经理', created_at: '' },
  assignments: [{ role: 'park_operator', domain: 'carrier:C1', domain_kind: 'carrier', domain_id: 'C1', name_zh: '历下科技企业孵化器', name_en: 'Lixia Incubator', region_id: 'R1' }],
};

export const districtViewer: Me = {
  user: { id: 'UD', email: 'officer@lixia.demo', display_name: '区科技局 王科长', created_at: '' },
  assignments: [{ role: 'district_viewer', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '历下区', name_en: 'Lixia', region_id: 'R1' }],
};

export const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });
