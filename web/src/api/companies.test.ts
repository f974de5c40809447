import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n';
import { fakeApi, type Call } from '../test/fakeApi';
import { ApiError } from './client';
import { acceptCompanyMembership, getCompany, inviteCompanyMember, linkCompanyUSCC, listCompanyMembers, listMyCompanies, listRegionCompanies, registerCompany, removeCompanyMember, updateCompany, type Company } from './companies';

const company: Company = {
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
  updated_at: '2026-01-01T00:00:00Z',
};

const ok = (body?: unknown, status = 200) => () => ({ status, body });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);

afterEach(() => setLanguage('zh-CN'));

describe('company API calls', () => {
  it('lists my memberships', async () => {
    const calls = fakeApi({
      'GET /api/v1/me/companies': ok({ items: [{ company, role: 'company_admin', status: 'active' }], total: 1, page: 1, page_size: 1 }),
    });
    const page = await listMyCompanies();
    expect(page.items[0].company.name_zh).toBe('济南明湖智能科技有限公司');
    expect(page.items[0].role).toBe('company_admin');
    expect(calls[0].method).toBe('GET');
    expect(calls[0].headers['X-CSRF-Token']).toBeUndefined();
  });

  it('lists a region\'s companies with paging, search, industry and sort', async () => {
    const calls = fakeApi({ 'GET /api/v1/regions/R1/companies': ok({ items: [company], total: 31, page: 2, page_size: 10 }) });
    const page = await listRegionCompanies('R1', { q: '明湖', industry: 'I', page: 2, page_size: 10, sort: '-created_at' });
    expect(page.total).toBe(31);
    expect(calls[0].url.split('?')[0]).toBe('/api/v1/regions/R1/companies');
    expect(query(calls[0])).toEqual({ q: '明湖', industry: 'I', page: '2', page_size: '10', sort: '-created_at' });
  });

  it('leaves unset filters out of the query', async () => {
    const calls = fakeApi({ 'GET /api/v1/regions/R1/companies': ok({ items: [], total: 0, page: 1, page_size: 20 }) });
    await listRegionCompanies('R1', { q: undefined, industry: '', page: 1, page_size: 20 });
    expect(query(calls[0])).toEqual({ page: '1', page_size: '20' });
  });

  it('registers in a region with POST and the CSRF token', async () => {
    document.cookie = 'incuchain_csrf=tok-1; path=/';
    const calls = fakeApi({ 'POST /api/v1/regions/R1/companies': ok(company, 201) });
    const body = { uscc: '91370102MA3C5T2R03', name_zh: company.name_zh, industry_code: 'I6511' };
    await expect(registerCompany('R1', body)).resolves.toEqual(company);
    expect(calls[0].method).toBe('POST');
    expect(calls[0].body).toEqual(body);
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok-1');
  });

  it('reports a USCC check-character error as a field error with the server message', async () => {
    fakeApi({
      'POST /api/v1/regions/R1/companies': () => ({
        status: 422,
        body: {
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
        },
      }),
    });
    const e = (await registerCompany('R1', { uscc: '91370102MA3C5T2R04', name_zh: 'x', industry_code: 'I65' }).catch(
      (x: unknown) => x,
    )) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.fieldError('uscc')).toMatchObject({ code: 'uscc_check', params: { want: '3', char: '4' } });
  });

  it('reads, replaces and links a company', async () => {
    const calls = fakeApi({
      'GET /api/v1/companies/K%2F1': ok(company),
      'PUT /api/v1/companies/K1': (c) => ({ status: 200, body: { ...company, ...(c.body as object) } }),
      'POST /api/v1/companies/K1/uscc': (c) => ({ status: 200, body: { ...company, ...(c.body as object) } }),
    });
    // Ids are path segments: anything odd in them is escaped.
    await getCompany('K/1');
    const input = { name_zh: '新名称', industry_code: 'I65', name_en: '' };
    expect((await updateCompany('K1', input)).name_zh).toBe('新名称');
    await linkCompanyUSCC('K1', '91370102MA3C5T2R03');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/companies/K%2F1',
      'PUT /api/v1/companies/K1',
      'POST /api/v1/companies/K1/uscc',
    ]);
    expect(calls[1].body).toEqual(input);
    expect(calls[2].body).toEqual({ uscc: '91370102MA3C5T2R03' });
  });

  it('lists, invites, accepts and removes members', async () => {
    document.cookie = 'incuchain_csrf=tok-2; path=/';
    const member = { user_id: 'U9', email: 'cto@lixia.demo', display_name: 'CTO', role: 'member', status: 'invited', updated_at: '' };
    const calls = fakeApi({
      'GET /api/v1/companies/K1/members': ok({ items: [member], total: 1, page: 1, page_size: 1 }),
      'POST /api/v1/companies/K1/members': ok(member, 201),
      'POST /api/v1/companies/K1/members/accept': ok(undefined, 204),
      'DELETE /api/v1/companies/K1/members/U9': ok(undefined, 204),
    });
    expect((await listCompanyMembers('K1')).items).toEqual([member]);
    expect(await inviteCompanyMember('K1', 'cto@lixia.demo', 'member')).toEqual(member);
    await expect(acceptCompanyMembership('K1')).resolves.toBeUndefined();
    await expect(removeCompanyMember('K1', 'U9')).resolves.toBeUndefined();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/companies/K1/members',
      'POST /api/v1/companies/K1/members',
      'POST /api/v1/companies/K1/members/accept',
      'DELETE /api/v1/companies/K1/members/U9',
    ]);
    expect(calls[1].body).toEqual({ email: 'cto@lixia.demo', role: 'member' });
    expect(calls[2].body).toBeUndefined();
    expect(calls.slice(1).every((c) => c.headers['X-CSRF-Token'] === 'tok-2')).toBe(true);
  });

  it('sends the language so the server localizes field messages', async () => {
    setLanguage('en');
    const calls = fakeApi({ 'POST /api/v1/regions/R1/companies': ok(company, 201) });
    await registerCompany('R1', { name_zh: 'x', industry_code: 'I65' });
    expect(calls[0].headers['Accept-Language']).toBe('en');
  });
});
