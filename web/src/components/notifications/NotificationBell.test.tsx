import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../AppProviders';
import type { Notification } from '../../api/notifications';
import { fakeApi, parkAdmin, SLOW } from '../../test/fakeApi';
import { NotificationBell } from './NotificationBell';

const returned: Notification = {
  id: 'N2',
  kind: 'document_returned',
  title_zh: '材料被退回：营业执照',
  title_en: 'Material returned: business licence',
  body_zh: '济南星河科技的「营业执照」被退回，请修改后重新上传。意见：执照已过期',
  body_en: 'The business licence of Xinghe Tech was returned; please upload a corrected version. Comment: expired',
  link: '/company/K1/documents',
  region_id: 'R1',
  carrier_id: 'C1',
  company_id: 'K1',
  created_at: '2026-12-06T09:00:00Z',
  read_at: null,
};
const granted: Notification = {
  ...returned,
  id: 'N1',
  kind: 'role_granted',
  title_zh: '您获得了新角色',
  title_en: 'You have a new role',
  body_zh: '您已获得济南星河科技的「企业成员」角色。',
  body_en: 'You were given the role company member at Xinghe Tech.',
  link: '/company/K1',
  created_at: '2026-12-01T09:00:00Z',
  read_at: '2026-12-01T10:00:00Z',
};

function Where() {
  return <div data-testid="where">{useLocation().pathname}</div>;
}

function renderBell() {
  return render(
    <AppProviders>
      <MemoryRouter initialEntries={['/']}>
        <NotificationBell />
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </AppProviders>,
  );
}

describe('NotificationBell', () => {
  it('shows the unread count, lists notifications, and opening one marks it read and goes to its page', async () => {
    let items = [returned, granted];
    const unread = () => items.filter((n) => !n.read_at).length;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/me/notifications/unread-count': () => ({ status: 200, body: { unread: unread() } }),
      'GET /api/v1/me/notifications': () => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } }),
      'POST /api/v1/me/notifications/N2/read': () => {
        items = items.map((n) => (n.id === 'N2' ? { ...n, read_at: '2026-12-06T10:00:00Z' } : n));
        return { status: 200, body: items[0] };
      },
    });
    renderBell();
    const bell = await screen.findByTestId('notif-bell', {}, SLOW);
    await waitFor(() => expect(bell.getAttribute('aria-label')).toBe('通知，1 条未读'), SLOW);
    expect(within(bell).getByText('1')).toBeTruthy();

    fireEvent.click(bell);
    const rows = await screen.findAllByTestId('notif-item', {}, SLOW);
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('材料被退回：营业执照');
    expect(rows[0].textContent).toContain('意见：执照已过期');
    expect(rows[0].getAttribute('data-unread')).toBe('true');
    expect(rows[1].getAttribute('data-unread')).toBe('false');

    fireEvent.click(rows[0]);
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/company/K1/documents'), SLOW);
    expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/me/notifications/N2/read')).toBe(true);
    await waitFor(() => expect(screen.getByTestId('notif-bell').getAttribute('aria-label')).toBe('通知'), SLOW);
  }, 60000);

  it('marks all read, filters to unread, and asks again for the count when the window regains focus', async () => {
    let items = [returned, { ...granted, id: 'N3', read_at: null }];
    let countCalls = 0;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/me/notifications/unread-count': () => {
        countCalls++;
        return { status: 200, body: { unread: items.filter((n) => !n.read_at).length } };
      },
      'GET /api/v1/me/notifications': (c) => {
        const shown = c.url.includes('unread=true') ? items.filter((n) => !n.read_at) : items;
        return { status: 200, body: { items: shown, total: shown.length, page: 1, page_size: 20 } };
      },
      'POST /api/v1/me/notifications/read-all': () => {
        items = items.map((n) => ({ ...n, read_at: '2026-12-06T10:00:00Z' }));
        return { status: 200, body: { marked: 2 } };
      },
    });
    renderBell();
    const bell = await screen.findByTestId('notif-bell', {}, SLOW);
    await waitFor(() => expect(bell.getAttribute('aria-label')).toBe('通知，2 条未读'), SLOW);

    fireEvent.click(bell);
    fireEvent.click(await screen.findByTestId('notif-read-all', {}, SLOW));
    await waitFor(() => expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/me/notifications/read-all')).toBe(true), SLOW);
    await waitFor(() => expect(bell.getAttribute('aria-label')).toBe('通知'), SLOW);

    fireEvent.click(screen.getByTestId('notif-unread-only'));
    await waitFor(() => expect(log.some((c) => c.url.startsWith('/api/v1/me/notifications?') && c.url.includes('unread=true'))).toBe(true), SLOW);
    expect(await screen.findByText('没有未读通知', {}, SLOW)).toBeTruthy();

    // A notification arrives while the user is elsewhere; focus brings it in.
    items = [{ ...returned, id: 'N4', read_at: null }, ...items];
    const before = countCalls;
    fireEvent(window, new Event('focus'));
    await waitFor(() => expect(countCalls).toBeGreaterThan(before), SLOW);
    await waitFor(() => expect(bell.getAttribute('aria-label')).toBe('通知，1 条未读'), SLOW);
  }, 60000);

});
