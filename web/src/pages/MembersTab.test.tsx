import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Member } from '../api/members';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW } from '../test/fakeApi';

const admin: Member = { user_id: 'U1', email: 'parkadmin@lixia.demo', display_name: '园区管理员', roles: ['park_admin'] };
const newstaff: Member = { user_id: 'U7', email: 'newstaff@lixia.demo', display_name: '新同事', roles: [] };

function withMembers(initial: Member[]) {
  let members = initial;
  const calls = fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
    'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
    'GET /api/v1/carriers/C1/members': () => ({
      status: 200,
      body: { items: members, total: members.length, page: 1, page_size: 20 },
    }),
    'POST /api/v1/carriers/C1/members': (c) => {
      const { email, role } = c.body as { email: string; role: Member['roles'][number] };
      if (email !== newstaff.email) {
        return {
          status: 422,
          body: {
            status: 422,
            code: 'incorrect-input',
            slug: 'invalid-grant',
            detail: '输入有误',
            errors: [{ field: 'email', code: 'user_not_found', message: '该邮箱没有账号,请发送邀请' }],
          },
        };
      }
      members = [...members.filter((m) => m.email !== email), { ...newstaff, roles: [role] }];
      return { status: 201, body: {} };
    },
    'DELETE /api/v1/carriers/C1/members/U7/roles/park_operator': () => {
      members = members.filter((m) => m.user_id !== 'U7');
      return { status: 204 };
    },
  });
  return calls;
}

async function openGrantDialog() {
  fireEvent.click(await screen.findByTestId('grant-role-button', {}, SLOW));
  return screen.findByTestId('grant-email');
}

describe('carrier members tab', () => {
  it('maps a user_not_found field error onto the email item', async () => {
    document.cookie = 'incuchain_csrf=csrf-1; path=/';
    const calls = withMembers([admin]);
    renderApp('/carriers/C1?tab=members');
    const table = await screen.findByTestId('members-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('parkadmin@lixia.demo'), SLOW);

    const email = await openGrantDialog();
    await userEvent.setup({ delay: null }).type(email, 'nobody@lixia.demo');
    fireEvent.click(screen.getByTestId('grant-submit'));

    expect(await screen.findByText('该邮箱没有账号,请发送邀请', {}, SLOW)).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ email: 'nobody@lixia.demo', role: 'park_operator' });
    expect(post?.headers['X-CSRF-Token']).toBe('csrf-1');
  });

  it('grants a role and shows the member, then revokes it after confirmation', async () => {
    const calls = withMembers([admin]);
    renderApp('/carriers/C1?tab=members');
    const table = await screen.findByTestId('members-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('parkadmin@lixia.demo'), SLOW);

    const email = await openGrantDialog();
    fireEvent.change(email, { target: { value: 'newstaff@lixia.demo' } });
    fireEvent.click(screen.getByTestId('grant-submit'));

    await waitFor(() => expect(screen.getByTestId('members-table').textContent).toContain('newstaff@lixia.demo'), SLOW);
    const row = screen.getByText('newstaff@lixia.demo').closest('tr') as HTMLElement;
    expect(row.textContent).toContain('园区运营人员');

    fireEvent.click(within(row).getByTestId('revoke-park_operator'));
    fireEvent.click(await screen.findByTestId('revoke-confirm', {}, SLOW));

    await waitFor(() => expect(screen.getByTestId('members-table').textContent).not.toContain('newstaff@lixia.demo'), SLOW);
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/carriers/C1/members/U7/roles/park_operator')).toBe(true);
  });
});
