import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { districtViewer, minghuTech, team } from '../test/companies';
import { fakeApi, parkAdmin, renderApp, SLOW } from '../test/fakeApi';

describe('region companies', () => {
  it('pages, searches, filters and sorts on the server; opens a read-only company', async () => {
    const calls = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: districtViewer }),
      'GET /api/v1/regions/R1/companies': () => ({ status: 200, body: { items: [minghuTech, team], total: 45, page: 1, page_size: 20 } }),
      'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
      'GET /api/v1/companies/K1/members': () => ({
        status: 200,
        body: { items: [{ user_id: 'UF', email: 'founder@lixia.demo', display_name: '创业者 陈总', role: 'company_admin', status: 'active', updated_at: '' }] },
      }),
    });
    const listCalls = () =>
      calls.filter((c) => c.url.startsWith('/api/v1/regions/R1/companies')).map((c) => new URL(c.url, 'http://x').searchParams);

    renderApp('/regions/R1/companies');
    const table = await screen.findByTestId('companies-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('济南明湖智能科技有限公司'), SLOW);
    expect(table.textContent).toContain('T-K2');
    expect(listCalls()[0].get('page')).toBe('1');
    expect(listCalls()[0].get('page_size')).toBe('20');
    // District roles get the companies entry, and no "my company".
    expect(screen.getByTestId('menu-companies').textContent).toBe('企业');
    expect(screen.queryByTestId('menu-company')).toBeNull();

    fireEvent.click(within(table).getAllByText('所属行业')[0].closest('th') as HTMLElement);
    await waitFor(() => expect(listCalls().at(-1)?.get('sort')).toBe('industry'), SLOW);

    fireEvent.click(screen.getByTitle('3'));
    await waitFor(() => expect(listCalls().at(-1)?.get('page')).toBe('3'), SLOW);

    fireEvent.mouseDown(screen.getByTestId('companies-industry-filter').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('I · 信息传输、软件和信息技术服务业'));
    await waitFor(() => expect(listCalls().at(-1)?.get('industry')).toBe('I'), SLOW);
    expect(listCalls().at(-1)?.get('page')).toBe('1');
    expect(listCalls().at(-1)?.get('sort')).toBe('industry');

    const search = screen.getByTestId('companies-search').querySelector('input') ?? screen.getByTestId('companies-search');
    fireEvent.change(search, { target: { value: '明湖' } });
    fireEvent.keyDown(search, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(listCalls().at(-1)?.get('q')).toBe('明湖'), SLOW);

    fireEvent.click(within(screen.getByTestId('companies-table')).getAllByTestId('company-link')[0]);
    await waitFor(() => expect(screen.getByTestId('company-title').textContent).toBe('济南明湖智能科技有限公司'), SLOW);
    const members = await screen.findByTestId('company-members-table', {}, SLOW);
    await waitFor(() => expect(members.textContent).toContain('founder@lixia.demo'), SLOW);
    // Staff read; they neither edit nor manage members.
    expect(screen.queryByTestId('company-edit')).toBeNull();
    expect(screen.queryByTestId('invite-member-button')).toBeNull();
    expect(screen.queryByTestId('company-remove-member')).toBeNull();
  });

  it('gives park staff the companies of their carriers\' region', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 404, body: { status: 404 } }),
      'GET /api/v1/regions/R1/companies': () => ({ status: 200, body: { items: [minghuTech], total: 1, page: 1, page_size: 20 } }),
    });
    renderApp('/my/carriers');
    const entry = await screen.findByTestId('menu-companies', {}, SLOW);
    expect(entry.getAttribute('href')).toBe('/regions/R1/companies');
    fireEvent.click(entry);
    const table = await screen.findByTestId('companies-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('济南明湖智能科技有限公司'), SLOW);
  });
});
