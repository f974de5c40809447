/** Fixtures of the startup page tests: an open call of the demo region and replies. */
import type { Application } from '../../api/applications';
import type { IntakeCall } from '../../api/intakeCalls';
import { founder, minghuTech } from '../../test/companies';
import type { Handler } from '../../test/fakeApi';

export const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: items.length } });

export const winterCall: IntakeCall = {
  id: 'IC1',
  region_id: 'R1',
  carrier_id: 'C1',
  title_zh: '2026年冬季入驻招募',
  title_en: 'Winter 2026 intake',
  opens_on: '2026-11-01',
  closes_on: '2026-12-31',
  eligibility: '成立不满三年的科技型企业',
  materials: ['business_licence', 'business_plan'],
  questions: [
    { key: 'summary', label_zh: '项目简介', label_en: 'Project summary', type: 'text', required: true },
    { key: 'team_size', label_zh: '团队人数', label_en: 'Team size', type: 'number', required: true },
    { key: 'funding', label_zh: '已获融资', label_en: 'Funding raised', type: 'money', unit: 'thousand_yuan', required: false },
    { key: 'founded', label_zh: '成立日期', label_en: 'Founded on', type: 'date', required: false },
    { key: 'stage', label_zh: '发展阶段', label_en: 'Stage', type: 'choice', options: ['idea', 'prototype', 'revenue'], required: true },
    { key: 'plan_doc', label_zh: '商业计划书', label_en: 'Business plan', type: 'file', required: false },
  ],
  criteria: ['team', 'technology', 'market', 'fit'],
  capacity: 10,
  min_reviews: 1,
  status: 'open',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};

export const draftApp: Application = {
  id: 'A1',
  call_id: 'IC1',
  call_title_zh: '2026年冬季入驻招募',
  carrier_id: 'C1',
  region_id: 'R1',
  company_id: 'K1',
  company_name_zh: '济南明湖智能科技有限公司',
  status: 'draft',
  answers: {},
  materials: [{ type: 'business_licence', document_id: '', status: '', version: 0, filename: '' }],
  reason: '',
  decided_at: null,
  submitted_at: null,
  created_at: '2026-11-27T00:00:00Z',
  updated_at: '2026-11-27T00:00:00Z',
};

/** companyRoutes answers what every startup page loads: the session, the company and the user's memberships. */
export function companyRoutes(): Record<string, Handler> {
  return {
    'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
    'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
    'GET /api/v1/me/companies': () => page([{ company: minghuTech, role: 'company_admin', status: 'active' }]),
  };
}

export const problem = (detail: string, errors: { field: string; code: string; message?: string; params?: Record<string, unknown> }[]) => ({
  status: 422,
  body: { status: 422, code: 'incorrect-input', detail, errors },
});
