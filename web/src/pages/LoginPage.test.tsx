import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { AppProviders } from '../AppProviders';
import { setLanguage } from '../i18n';

type Handler = (init: RequestInit) => { status: number; body?: unknown; headers?: Record<string, string> };

interface Call {
  url: string;
  init: RequestInit;
}

/** routeFetch answers fetch calls by "METHOD path"; anything unexpected fails loudly. */
function routeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const key = `${init.method ?? 'GET'} ${url.split('?')[0]}`;
      const h = routes[key];
      if (!h) return new Response(JSON.stringify({ status: 404, detail: `unexpected ${key}` }), { status: 404 });
      const r = h(init);
      return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
        status: r.status,
        headers: { 'Content-Type': r.status >= 400 ? 'application/problem+json' : 'application/json', ...r.headers },
      });
    }),
  );
  return calls;
}

const unauthenticated: Handler = () => ({ status: 401, body: { status: 401, slug: 'unauthenticated', detail: '请先登录' } });

function renderAt(path: string) {
  return render(
    <AppProviders>
      <MemoryRouter initialEntries={[path]}>
        <App />
      </MemoryRouter>
    </AppProviders>,
  );
}

afterEach(() => setLanguage('zh-CN'));

describe('LoginPage', () => {
  it('renders the form in Chinese by default', async () => {
    routeFetch({ 'GET /api/v1/auth/me': unauthenticated });
    renderAt('/login');
    expect(await screen.findByTestId('login-email')).toBeTruthy();
    expect(screen.getByTestId('login-password')).toBeTruthy();
    expect(screen.getByTestId('login-submit').textContent?.replace(/\s/g, '')).toBe('登录');
    expect(screen.getByText('邮箱')).toBeTruthy();
  });

  it('sends people who are not signed in to the login page', async () => {
    routeFetch({ 'GET /api/v1/auth/me': unauthenticated });
    renderAt('/my/carriers');
    expect(await screen.findByTestId('login-email')).toBeTruthy();
  });

  it('shows the problem detail when the credentials are wrong', async () => {
    const calls = routeFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/login': () => ({
        status: 401,
        body: {
          type: 'https://incuchain.dev/problems/invalid-credentials',
          title: '未认证',
          status: 401,
          detail: '邮箱或密码不正确',
          code: 'unauthenticated',
          slug: 'invalid-credentials',
        },
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/login');
    await user.type(await screen.findByTestId('login-email'), 'parkadmin@lixia.demo');
    await user.type(screen.getByTestId('login-password'), 'wrong-password');
    await user.click(screen.getByTestId('login-submit'));

    const alert = await screen.findByTestId('login-error');
    expect(alert.textContent).toContain('邮箱或密码不正确');
    const login = calls.find((c) => c.url === '/api/v1/auth/login');
    expect(JSON.parse(login?.init.body as string)).toEqual({ email: 'parkadmin@lixia.demo', password: 'wrong-password' });
  });

  it('puts field errors under their inputs', async () => {
    routeFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/login': () => ({
        status: 422,
        body: {
          status: 422,
          detail: '输入有误',
          code: 'incorrect-input',
          slug: 'invalid-login',
          errors: [{ field: 'password', code: 'too_long', message: '密码过长', params: { max: 72 } }],
        },
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/login');
    await user.type(await screen.findByTestId('login-email'), 'a@b.cn');
    await user.type(screen.getByTestId('login-password'), 'x');
    await user.click(screen.getByTestId('login-submit'));

    expect(await screen.findByText('密码过长')).toBeTruthy();
    expect((await screen.findByTestId('login-error')).textContent).toContain('输入有误');
  });

  it('validates the email before calling the server', async () => {
    const calls = routeFetch({ 'GET /api/v1/auth/me': unauthenticated });
    const user = userEvent.setup({ delay: null });
    renderAt('/login');
    await user.click(await screen.findByTestId('login-submit'));
    expect(await screen.findByText('请输入邮箱')).toBeTruthy();
    expect(calls.some((c) => c.url.endsWith('/auth/login'))).toBe(false);
  });

  it('switches to English, including the language sent to the server', async () => {
    const calls = routeFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/auth/login': () => ({ status: 401, body: { status: 401, detail: 'Wrong email or password.' } }),
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/login');
    await user.click(await screen.findByTestId('lang-switch'));
    expect(screen.getByTestId('login-submit').textContent).toBe('Sign in');
    expect(screen.getByText('Email')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');

    await user.type(screen.getByTestId('login-email'), 'a@b.cn');
    await user.type(screen.getByTestId('login-password'), 'x');
    await user.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toContain('Wrong email or password.');
    const login = calls.find((c) => c.url === '/api/v1/auth/login');
    expect((login?.init.headers as Record<string, string>)['Accept-Language']).toBe('en');
  });

  it('signs in and opens the first page the roles give', async () => {
    let signedIn = false;
    const me = {
      user: { id: 'U1', email: 'parkadmin@lixia.demo', display_name: '园区管理员' },
      assignments: [
        {
          role: 'park_admin',
          domain: 'carrier:C1',
          domain_kind: 'carrier',
          domain_id: 'C1',
          name_zh: '明湖国际信创产业园',
          name_en: 'Minghu International Xinchuang Industrial Park',
          region_id: 'R1',
        },
      ],
    };
    routeFetch({
      'GET /api/v1/auth/me': () => (signedIn ? { status: 200, body: me } : unauthenticated({})),
      'POST /api/v1/auth/login': () => {
        signedIn = true;
        return { status: 200, body: { user: me.user, csrf_token: 't' } };
      },
      'GET /api/v1/carriers/C1': () => ({
        status: 200,
        body: {
          id: 'C1',
          region_id: 'R1',
          kind: 'science_park',
          chain_order: 4,
          name_zh: '明湖国际信创产业园',
          name_en: 'Minghu International Xinchuang Industrial Park',
          address: '',
          area_m2: 1,
          focus_industries: [],
          capacity: 1,
          status: 'active',
          created_at: '2026-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z',
        },
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderAt('/login');
    await user.type(await screen.findByTestId('login-email'), 'parkadmin@lixia.demo');
    await user.type(screen.getByTestId('login-password'), 'incuchain-demo');
    await user.click(screen.getByTestId('login-submit'));

    // The first render of the antd layout is slow in jsdom; allow it a few seconds.
    const table = await screen.findByTestId('carriers-table', {}, { timeout: 8000 });
    await waitFor(() => expect(table.textContent).toContain('科技园区'), { timeout: 5000 });
    expect(table.textContent).toContain('明湖国际信创产业园');
    expect(screen.getByTestId('menu-carriers').textContent).toBe('我的载体');
  });
});
