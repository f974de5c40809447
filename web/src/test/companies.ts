import type { Company } from '../api/companies';
import type { Me } from '../api/auth';

/** Fixtures for the company pages: the demo founder and their seeded company. */
export const founder: Me = {
  user: { id: 'UF', email: 'founder@lixia.demo', display_name: '创业者 陈总', created_at: '' },
  // The parks service knows no company names: a company assignment carries only its id.
  assignments: [{ role: 'startup_member', domain: 'company:K1', domain_kind: 'company', domain_id: 'K1', name_zh: '', name_en: '', region_id: '' }],
};

export const districtViewer: Me = {
  user: { id: 'U3', email: 'officer@lixia.demo', display_name: '区科技局', created_at: '' },
  assignments: [
    { role: 'district_viewer', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '历下区', name_en: 'Lixia', region_id: 'R1' },
  ],
};

export const minghuTech: Company = {
  id: 'K1',
  region_id: 'R1',
  uscc: '91370102MA3C5T2R03',
  provisional_id: '',
  key: '91370102MA3C5T2R03',
  name_zh: '济南明湖智能科技有限公司',
  name_en: 'Jinan Minghu Intelligent Technology Co., Ltd.',
  industry_code: 'I6511',
  tech_field: '人工智能',
  founded_on: '2025-03-18',
  founder_type: 'researcher',
  founder_gender: 'female',
  contact_name: '陈总',
  contact_phone: '0531-88888888',
  contact_email: 'founder@lixia.demo',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
};

export const team: Company = {
  ...minghuTech,
  id: 'K2',
  uscc: '',
  provisional_id: 'T-K2',
  key: 'T-K2',
  name_zh: '泉城量子团队',
  name_en: '',
  industry_code: 'M73',
  founded_on: '',
};

export const usccCheckProblem = {
  status: 422,
  code: 'incorrect-input',
  slug: 'invalid-company',
  detail: '企业信息有误',
  errors: [
    {
      field: 'uscc',
      code: 'uscc_check',
      message: '第 18 位校验码应为“3”，而不是“4”',
      params: { position: 18, char: '4', want: '3' },
    },
  ],
};
