import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me } from '../api/auth';
import { fakeApi, minghu, renderApp, SLOW } from '../test/fakeApi';

const viewer: Me = {
  user: { id: 'U3', email: 'officer@lixia.demo', display_name: '区科技局', created_at: '' },
  assignments: [
    { role: 'district_viewer', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '历下区', name_en: 'Lixia', region_id: 'R1' },
  ],
};

describe('region carriers list', () => {
  it('pages, searches and sorts on the server', async () => {
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: viewer }),
      'GET /api/v1/regions/R1/carriers': () => ({
        status: 200,
        body: { items: [minghu, { ...minghu, id: 'C2', name_zh: '历下创客空间', kind: 'maker_space', chain_order: 1 }], total: 45, page: 1, page_size: 20 },
      }),
    });
    const listCalls = () => calls.filter((c) => c.url.startsWith('/api/v1/regions/R1/carriers')).map((c) => new URL(c.url, 'http://x').searchParams);

    renderApp('/regions/R1/carriers');
    const table = await screen.findByTestId('carriers-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('众创空间'), SLOW);
    expect(table.textContent).toContain('明湖国际信创产业园');
    expect(listCalls()[0].get('page')).toBe('1');
    expect(listCalls()[0].get('page_size')).toBe('20');
    // A district viewer may not create carriers.
    expect(screen.queryByTestId('carrier-new')).toBeNull();

    fireEvent.click(within(table).getAllByText('名称')[0].closest('th') as HTMLElement);
    await waitFor(() => expect(listCalls().at(-1)?.get('sort')).toBe('name'), SLOW);

    fireEvent.click(screen.getByTitle('3'));
    await waitFor(() => expect(listCalls().at(-1)?.get('page')).toBe('3'), SLOW);
    expect(listCalls().at(-1)?.get('sort')).toBe('name');

    const search = screen.getByTestId('carriers-search').querySelector('input') ?? screen.getByTestId('carriers-search');
    fireEvent.change(search, { target: { value: '明湖' } });
    fireEvent.keyDown(search, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(listCalls().at(-1)?.get('q')).toBe('明湖'), SLOW);
    // A new search starts again at the first page.
    expect(listCalls().at(-1)?.get('page')).toBe('1');
  });
});
