import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CompanyMember, MyCompany } from '../api/companies';
import { founder, minghuTech, team } from '../test/companies';
import { fakeApi, renderApp, SLOW } from '../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: items.length } });

const me: CompanyMember = { user_id: 'UF', email: 'founder@lixia.demo', display_name: '创业者 陈总', role: 'company_admin', status: 'active', updated_at: '2026-01-01T00:00:00Z' };
const cto: CompanyMember = { user_id: 'U9', email: 'cto@lixia.demo', display_name: '技术总监', role: 'member', status: 'active', updated_at: '2026-01-01T00:00:00Z' };

describe('my company', () => {
  it('lists memberships and accepts an invitation', async () => {
    let memberships: MyCompany[] = [
      { company: minghuTech, role: 'company_admin', status: 'active' },
      { company: team, role: 'member', status: 'invited' },
      { company: { ...team, id: 'K3', name_zh: '已退出的公司' }, role: 'member', status: 'left' },
    ];
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/me/companies': () => page(memberships),
      'POST /api/v1/companies/K2/members/accept': () => {
        memberships = memberships.map((m) => (m.company.id === 'K2' ? { ...m, status: 'active' } : m));
        return { status: 204 };
      },
    });
    renderApp('/company');
    const list = await screen.findByTestId('my-companies', {}, SLOW);
    await waitFor(() => expect(list.textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    expect(list.textContent).toContain('91370102MA3C5T2R03');
    expect(list.textContent).toContain('企业管理员');
    // A team shows its provisional id; a company one has left is not listed.
    expect(list.textContent).toContain('T-K2');
    expect(list.textContent).not.toContain('已退出的公司');
    expect(screen.getByTestId('menu-company').textContent).toBe('我的企业');
    expect(screen.queryByTestId('menu-companies')).toBeNull();

    const buttons = screen.getAllByTestId('company-accept');
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0]);
    await waitFor(() => expect(screen.queryByTestId('company-accept')).toBeNull(), SLOW);
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/companies/K2/members/accept')).toBe(true);
  });

  it('offers registering when the user has no company, keeping the link\'s region', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: { ...founder, assignments: [] } }),
      'GET /api/v1/me/companies': () => page([]),
      'GET /api/v1/regions': () => page([]),
    });
    renderApp('/company?region=R7');
    expect(await screen.findByTestId('company-empty', {}, SLOW)).toBeTruthy();
    fireEvent.click(screen.getByTestId('company-register-button'));
    await waitFor(() => expect(screen.getByTestId('company-register-region').textContent).toContain('登记链接指定的区域'), SLOW);
  });
});

describe('company detail for its admin', () => {
  function withCompany() {
    let members = [me, cto];
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/me/companies': () => page([{ company: minghuTech, role: 'company_admin', status: 'active' }]),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/companies/K1/members': () => page(members),
      'POST /api/v1/companies/K1/members': (c) => {
        const { email, role } = c.body as { email: string; role: CompanyMember['role'] };
        if (email !== 'newbie@lixia.demo') {
          return {
            status: 422,
            body: { status: 422, detail: '输入有误', errors: [{ field: 'email', code: 'user_not_found', message: '该邮箱尚未注册' }] },
          };
        }
        const m: CompanyMember = { user_id: 'U10', email, display_name: '新人', role, status: 'invited', updated_at: '' };
        members = [...members, m];
        return { status: 201, body: m };
      },
      'DELETE /api/v1/companies/K1/members/U9': () => {
        members = members.filter((m) => m.user_id !== 'U9');
        return { status: 204 };
      },
    });
    return calls;
  }

  it('shows the details and members, and invites with field errors mapped', async () => {
    const calls = withCompany();
    renderApp('/company/K1');
    await waitFor(() => expect(screen.getByTestId('company-title').textContent).toBe('济南明湖智能科技有限公司'), SLOW);
    const details = screen.getByTestId('company-descriptions').textContent ?? '';
    expect(details).toContain('I6511');
    // I6511 is named by its GB/T 4754 division.
    expect(details).toContain('I6511 · 软件和信息技术服务业');
    expect(details).toContain('科研人员');
    expect(screen.getByTestId('company-edit')).toBeTruthy();
    // A company with a USCC has nothing to link.
    expect(screen.queryByTestId('company-link-uscc')).toBeNull();

    const table = await screen.findByTestId('company-members-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('cto@lixia.demo'), SLOW);
    const myRow = within(table).getByText('founder@lixia.demo').closest('tr') as HTMLElement;
    expect(within(myRow).getByTestId('company-leave')).toBeTruthy();

    fireEvent.click(screen.getByTestId('invite-member-button'));
    const email = await screen.findByTestId('invite-member-email');
    fireEvent.change(email, { target: { value: 'nobody@lixia.demo' } });
    fireEvent.click(screen.getByTestId('invite-member-submit'));
    expect(await screen.findByText('该邮箱尚未注册', {}, SLOW)).toBeTruthy();

    fireEvent.change(email, { target: { value: 'newbie@lixia.demo' } });
    fireEvent.click(screen.getByTestId('invite-member-submit'));
    await waitFor(() => expect(screen.getByTestId('company-members-table').textContent).toContain('newbie@lixia.demo'), SLOW);
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ email: 'newbie@lixia.demo', role: 'member' });
    const newRow = screen.getByText('newbie@lixia.demo').closest('tr') as HTMLElement;
    expect(newRow.textContent).toContain('待接受');

  }, 60000);

  it('removes a member after confirmation', async () => {
    const calls = withCompany();
    renderApp('/company/K1');
    const table = await screen.findByTestId('company-members-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('cto@lixia.demo'), SLOW);
    const ctoRow = within(table).getByText('cto@lixia.demo').closest('tr') as HTMLElement;
    fireEvent.click(within(ctoRow).getByTestId('company-remove-member'));
    fireEvent.click(await screen.findByTestId('company-remove-confirm', {}, SLOW));
    await waitFor(() => expect(screen.getByTestId('company-members-table').textContent).not.toContain('cto@lixia.demo'), SLOW);
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/companies/K1/members/U9')).toBe(true);
  }, 60000);
});
