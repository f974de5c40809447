import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../i18n';
import { ApiError, buildUrl, client, data, readCookie, rememberCsrfToken, setUnauthorizedHandler, topLevelField } from './client';

interface Captured {
  url: string;
  init: RequestInit;
}

function mockFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: Captured[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(text, { status, headers });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

const header = (c: Captured, name: string) => (c.init.headers as Record<string, string>)[name];

afterEach(() => {
  setLanguage('zh-CN');
  rememberCsrfToken(undefined);
  setUnauthorizedHandler(undefined);
});

describe('api client', () => {
  it('sends the CSRF cookie value as X-CSRF-Token on unsafe methods', async () => {
    document.cookie = 'other=1; path=/';
    document.cookie = 'incuchain_csrf=tok%2Fen-123; path=/';
    const calls = mockFetch(201, { ok: true }, { 'Content-Type': 'application/json' });

    const res = await data(client.POST('/api/v1/carriers/{id}/members', { params: { path: { id: 'c1' } }, body: { email: 'a@b.c', role: 'park_operator' } }));

    expect(res).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/api/v1/carriers/c1/members');
    expect(calls[0].init.method).toBe('POST');
    expect(header(calls[0], 'X-CSRF-Token')).toBe('tok/en-123');
    expect(header(calls[0], 'Content-Type')).toBe('application/json');
    expect(calls[0].init.credentials).toBe('include');
    expect(JSON.parse(calls[0].init.body as string)).toEqual({ email: 'a@b.c', role: 'park_operator' });
  });

  it.each(['PATCH', 'DELETE', 'PUT'] as const)('sends the CSRF token on %s', async (method) => {
    document.cookie = 'incuchain_csrf=abc; path=/';
    const calls = mockFetch(204, undefined);
    const send = {
      PATCH: () => client.PATCH('/api/v1/carriers/{id}', { params: { path: { id: 'x' } }, body: {} }),
      DELETE: () => client.DELETE('/api/v1/documents/{id}', { params: { path: { id: 'x' } } }),
      PUT: () => client.PUT('/api/v1/companies/{id}', { params: { path: { id: 'x' } }, body: {} }),
    }[method];
    await send();
    expect(calls[0].init.method).toBe(method);
    expect(header(calls[0], 'X-CSRF-Token')).toBe('abc');
  });

  it('does not send the CSRF token on GET', async () => {
    document.cookie = 'incuchain_csrf=abc; path=/';
    const calls = mockFetch(200, { items: [] });
    await client.GET('/api/v1/regions');
    expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined();
  });

  it('falls back to the token from the login answer when no cookie is readable', async () => {
    rememberCsrfToken('from-login');
    const calls = mockFetch(204, undefined);
    await client.POST('/api/v1/auth/logout');
    expect(header(calls[0], 'X-CSRF-Token')).toBe('from-login');
  });

  it('sends Accept-Language from the current language', async () => {
    const calls = mockFetch(200, {});
    await client.GET('/api/v1/auth/me');
    expect(header(calls[0], 'Accept-Language')).toBe('zh-CN');
    setLanguage('en');
    await client.GET('/api/v1/auth/me');
    expect(header(calls[1], 'Accept-Language')).toBe('en');
  });

  it('parses problem+json into an ApiError with field errors', async () => {
    const problem = {
      type: 'https://incuchain.dev/problems/invalid-carrier',
      title: '输入有误',
      status: 422,
      detail: '载体信息不完整',
      code: 'incorrect-input',
      slug: 'invalid-carrier',
      errors: [
        { field: 'name_zh', code: 'too_long', message: '不能超过 100 个字符', params: { max: 100 } },
        { field: 'focus_industries[1]', code: 'invalid' },
      ],
    };
    mockFetch(422, problem, { 'Content-Type': 'application/problem+json' });

    const err = await client.POST('/api/v1/regions/{id}/carriers', { params: { path: { id: 'r1' } }, body: {} as never }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.message).toBe('载体信息不完整');
    expect(e.slug).toBe('invalid-carrier');
    expect(e.code).toBe('incorrect-input');
    expect(e.fields).toHaveLength(2);
    expect(e.fieldError('name_zh')).toEqual(problem.errors[0]);
    expect(e.fieldError('focus_industries')?.code).toBe('invalid');
    expect(e.fieldError('address')).toBeUndefined();
  });

  it('keeps the HTTP status when the body is not JSON', async () => {
    mockFetch(502, '<html>bad gateway</html>', { 'Content-Type': 'text/html' });
    const e = (await client.GET('/api/v1/regions').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.fields).toEqual([]);
  });

  it('reads Retry-After on 429', async () => {
    mockFetch(429, { status: 429, detail: '登录尝试过多', slug: 'login-throttled' }, { 'Retry-After': '30' });
    const e = (await client.POST('/api/v1/auth/login', { body: {} }).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBe(30);
  });

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const e = (await client.GET('/api/v1/regions').catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(e.code).toBe('network');
  });

  it('calls the unauthorized handler on 401 unless told not to', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    mockFetch(401, { status: 401, slug: 'unauthenticated' });
    await client.GET('/api/v1/regions').catch(() => undefined);
    expect(handler).toHaveBeenCalledTimes(1);
    // The session's own calls answer 401 when signed out; that is no lost session.
    await client.POST('/api/v1/auth/login', { body: {} }).catch(() => undefined);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('returns undefined for 204', async () => {
    mockFetch(204, undefined);
    await expect(data(client.DELETE('/api/v1/carriers/{id}/members/{user}/roles/{role}', { params: { path: { id: 'c1', user: 'u1', role: 'park_operator' } } }))).resolves.toBeUndefined();
  });
});

describe('helpers', () => {
  it('builds URLs with only the set query parameters', () => {
    expect(buildUrl('/regions/r1/carriers', { q: '明湖', kind: undefined, status: '', page: 2, page_size: 20 })).toBe(
      `/api/v1/regions/r1/carriers?q=${encodeURIComponent('明湖')}&page=2&page_size=20`,
    );
    expect(buildUrl('/auth/me')).toBe('/api/v1/auth/me');
  });

  it.each([
    ['name_zh', 'name_zh'],
    ['focus_industries[0]', 'focus_industries'],
    ['focus_industries.2', 'focus_industries'],
    ['/address', 'address'],
  ])('topLevelField(%s) = %s', (path, want) => {
    expect(topLevelField(path)).toBe(want);
  });

  it('reads one cookie among many', () => {
    expect(readCookie('incuchain_csrf', 'a=1; incuchain_csrf=x%3Dy; b=2')).toBe('x=y');
    expect(readCookie('missing', 'a=1')).toBeUndefined();
  });
});
