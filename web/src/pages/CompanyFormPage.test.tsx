import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { founder, minghuTech, team, usccCheckProblem } from '../test/companies';
import { fakeApi, renderApp, SLOW } from '../test/fakeApi';
import { regionChoices, toCompanyInput, toRegistration } from './CompanyFormPage';

const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('zh-CN', k, p);
const empty = { status: 200, body: { items: [], total: 0, page: 1, page_size: 0 } };

function fill(testId: string, value: string) {
  const el = screen.getByTestId(testId);
  fireEvent.change(el.tagName === 'INPUT' ? el : (el.querySelector('input') as HTMLInputElement), { target: { value } });
}

describe('company form helpers', () => {
  it('registers with only the filled-in fields, upper-casing codes', () => {
    expect(
      toRegistration({ region: 'R1', uscc: ' 91370102ma3c5t2r03 ', name_zh: ' 明湖 ', industry_code: 'i65', name_en: '', contact_email: ' A@B.CN ' }),
    ).toEqual({ uscc: '91370102MA3C5T2R03', name_zh: '明湖', industry_code: 'I65', contact_email: 'a@b.cn' });
  });

  it('replaces every editable field on update, never sending a USCC', () => {
    const body = toCompanyInput({ name_zh: '明湖', industry_code: 'I65', uscc: 'X' } as never);
    expect(Object.keys(body).sort()).toEqual(
      ['contact_email', 'contact_name', 'contact_phone', 'founded_on', 'founder_gender', 'founder_type', 'industry_code', 'name_en', 'name_zh', 'tech_field'],
    );
    expect(body).not.toHaveProperty('uscc');
    expect(body.name_en).toBe('');
  });

  it('offers visible regions, then the regions of the user\'s companies, then the link\'s region', () => {
    const regions = [{ id: 'R1', name_zh: '历下区', name_en: 'Lixia' }];
    expect(regionChoices('zh-CN', t, regions, [minghuTech], 'R5')).toEqual([
      { value: 'R1', label: '历下区' },
      { value: 'R5', label: '登记链接指定的区域' },
    ]);
    expect(regionChoices('zh-CN', t, [], [minghuTech, { ...team, region_id: 'R1' }], null)).toEqual([
      { value: 'R1', label: '与“济南明湖智能科技有限公司”相同的区域' },
    ]);
    expect(regionChoices('zh-CN', t, [], [], undefined)).toEqual([]);
  });
});

describe('register company form', () => {
  it('shows the server\'s USCC check-character message under the USCC field', async () => {
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      // A startup user holds no staff roles, so no region is listed for them.
      'GET /api/v1/regions': () => empty,
      'GET /api/v1/me/companies': () => ({
        status: 200,
        body: { items: [{ company: minghuTech, role: 'company_admin', status: 'active' }], total: 1, page: 1, page_size: 1 },
      }),
      'POST /api/v1/regions/R1/companies': () => ({ status: 422, body: usccCheckProblem }),
    });
    renderApp('/company/new');
    await screen.findByTestId('company-uscc', {}, SLOW);
    // The region comes from the existing membership.
    await waitFor(() => expect(screen.getByTestId('company-register-region').textContent).toContain('济南明湖智能科技有限公司'), SLOW);

    fill('company-uscc', '91370102ma3c5t2r04');
    fill('company-register-name-zh', '济南明湖第二科技有限公司');
    fill('company-register-industry', 'i65');
    fireEvent.click(screen.getByTestId('company-register-submit'));

    const msg = await screen.findByText('第 18 位校验码应为“3”，而不是“4”', {}, SLOW);
    // The message sits on the USCC item, not in a generic alert.
    const item = msg.closest('.ant-form-item') as HTMLElement;
    expect(item.querySelector('[data-testid="company-uscc"]')).not.toBeNull();
    expect((await screen.findByTestId('company-register-error')).textContent).toContain('请修正标出的字段');

    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe('/api/v1/regions/R1/companies');
    expect(post?.body).toEqual({ uscc: '91370102MA3C5T2R04', name_zh: '济南明湖第二科技有限公司', industry_code: 'I65' });
  });

  it('registers a team in the region of the link and opens it', async () => {
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: { ...founder, assignments: [] } }),
      'GET /api/v1/regions': () => empty,
      'GET /api/v1/me/companies': () => {
        const registered = calls.some((c) => c.method === 'POST');
        return registered
          ? { status: 200, body: { items: [{ company: team, role: 'company_admin', status: 'active' }], total: 1, page: 1, page_size: 1 } }
          : empty;
      },
      'POST /api/v1/regions/R2/companies': () => ({ status: 201, body: team }),
      'GET /api/v1/companies/K2': () => ({ status: 200, body: team }),
      'GET /api/v1/companies/K2/members': () => ({
        status: 200,
        body: { items: [{ user_id: 'UF', email: 'founder@lixia.demo', display_name: '创业者 陈总', role: 'company_admin', status: 'active', updated_at: '' }] },
      }),
    });
    renderApp('/company/new?region=R2');
    await waitFor(() => expect(screen.getByTestId('company-register-region').textContent).toContain('登记链接指定的区域'), SLOW);
    fill('company-register-name-zh', '泉城量子团队');
    fill('company-register-industry', 'M73');
    fireEvent.click(screen.getByTestId('company-register-submit'));

    expect(await screen.findByTestId('company-title', {}, SLOW)).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('company-title').textContent).toBe('泉城量子团队'), SLOW);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name_zh: '泉城量子团队', industry_code: 'M73' });
    // A team shows its provisional id, and its admin may link the USCC.
    expect(screen.getByTestId('company-key').textContent).toContain('T-K2');
    expect(await screen.findByTestId('company-link-uscc-input', {}, SLOW)).toBeTruthy();
    // Registering changed the user's roles: the session was read again.
    expect(calls.filter((c) => c.url === '/api/v1/auth/me').length).toBeGreaterThanOrEqual(2);
  });

  it('puts other field errors on their items and explains a missing region', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/regions': () => empty,
      'GET /api/v1/me/companies': () => empty,
    });
    renderApp('/company/new');
    expect(await screen.findByTestId('company-register-no-region', {}, SLOW)).toBeTruthy();
    expect((screen.getByTestId('company-register-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('maps industry and unknown field errors from the server', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/regions': () => empty,
      'GET /api/v1/me/companies': () => empty,
      'POST /api/v1/regions/R1/companies': () => ({
        status: 422,
        body: {
          status: 422,
          detail: '企业信息有误',
          errors: [
            { field: 'industry_code', code: 'industry_code', params: { value: 'I99' } },
            { field: 'website', code: 'invalid', message: '网址无效' },
          ],
        },
      }),
    });
    renderApp('/company/new?region=R1');
    await screen.findByTestId('company-register-name-zh', {}, SLOW);
    fill('company-register-name-zh', '明湖');
    fill('company-register-industry', 'I99');
    fireEvent.click(screen.getByTestId('company-register-submit'));
    // No server message: the console's own text for the code, with its parameter.
    expect(await screen.findByText('不是有效的国民经济行业分类（GB/T 4754-2017）代码：I99', {}, SLOW)).toBeTruthy();
    expect((await screen.findByTestId('company-register-error')).textContent).toContain('网址无效');
    expect(screen.getByTestId('company-register-error').textContent).not.toContain('website');
  });
});
