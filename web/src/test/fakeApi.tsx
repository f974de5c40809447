import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { App } from '../App';
import { AppProviders } from '../AppProviders';
import type { Carrier } from '../api/carriers';
import type { Me } from '../api/auth';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (call: Call) => Reply;

/**
 * fakeApi stubs the global fetch with handlers keyed "METHOD /api/v1/path"
 * (query string ignored) and records every call; an unknown route answers 404.
 */
export function fakeApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const call: Call = {
        method: init.method ?? 'GET',
        url,
        headers: (init.headers as Record<string, string>) ?? {},
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      const h = routes[`${call.method} ${url.split('?')[0]}`];
      const r: Reply = h ? h(call) : { status: 404, body: { status: 404, detail: `unexpected ${call.method} ${url}` } };
      return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
        status: r.status,
        headers: { 'Content-Type': r.status >= 400 ? 'application/problem+json' : 'application/json', ...r.headers },
      });
    }),
  );
  return calls;
}

export function renderApp(path: string) {
  return render(
    <AppProviders>
      <MemoryRouter initialEntries={[path]}>
        <App />
      </MemoryRouter>
    </AppProviders>,
  );
}

export const parkAdmin: Me = {
  user: { id: 'U1', email: 'parkadmin@lixia.demo', display_name: '园区管理员', created_at: '' },
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

export const minghu: Carrier = {
  id: 'C1',
  region_id: 'R1',
  kind: 'science_park',
  chain_order: 4,
  name_zh: '明湖国际信创产业园',
  name_en: 'Minghu International Xinchuang Industrial Park',
  address: '济南市历下区',
  area_m2: 120000.5,
  focus_industries: ['I65'],
  capacity: 50,
  status: 'active',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
};

/** A generous wait: the first antd render in jsdom is slow on a loaded machine. */
export const SLOW = { timeout: 30000 };
