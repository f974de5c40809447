import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Carrier } from '../api/carriers';
import { districtViewer, minghuTech, team } from '../test/companies';
import { doc, documentTypes } from '../test/documents';
import { fakeApi, minghu, renderApp, SLOW } from '../test/fakeApi';

const maker: Carrier = { ...minghu, id: 'C2', kind: 'maker_space', chain_order: 1, name_zh: '泉城众创空间', name_en: 'Quancheng Maker Space' };

const items = [
  doc({ id: 'D1', carrier_id: 'C1', company_id: 'K1', status: 'verified', filename: '商业计划书.pdf' }),
  doc({ id: 'D2', carrier_id: 'C2', company_id: 'K2', type: 'business_licence', checklist_id: '', status: 'returned', comment: '缺少盖章页', filename: '营业执照.pdf', version: 2 }),
  doc({ id: 'D3', carrier_id: '', company_id: 'K2', type: 'other', checklist_id: '', filename: '其他材料.pdf' }),
];

function withRegister() {
  const calls = fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: districtViewer }),
    'GET /api/v1/regions/R1/carriers': () => ({ status: 200, body: { items: [minghu, maker], total: 2, page: 1, page_size: 100 } }),
    'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    'GET /api/v1/regions/R1/documents': () => ({ status: 200, body: { items, total: 62, page: 1, page_size: 20 } }),
    'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
    'GET /api/v1/companies/K2': () => ({ status: 200, body: team }),
  });
  const listQueries = () =>
    calls.filter((c) => c.url.startsWith('/api/v1/regions/R1/documents')).map((c) => Object.fromEntries(new URL(c.url, 'http://x').searchParams));
  return { calls, listQueries };
}

async function pick(testId: string, title: string) {
  fireEvent.mouseDown(screen.getByTestId(testId).querySelector('.ant-select-selector') as Element);
  fireEvent.click((await screen.findAllByTitle(title, {}, SLOW)).at(-1) as Element);
}

describe('资料目录 (the district\'s document register)', () => {
  it('lists the region\'s documents as metadata, with carrier and company names and no downloads or actions', async () => {
    const { calls, listQueries } = withRegister();
    renderApp('/regions/R1/documents');
    const entry = await screen.findByTestId('menu-documents', {}, SLOW);
    expect(entry.textContent).toBe('资料目录');
    expect(entry.getAttribute('href')).toBe('/regions/R1/documents');
    expect((await screen.findByTestId('register-title', {}, SLOW)).textContent).toBe('资料目录');
    const table = await screen.findByTestId('register-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type').map((e) => e.textContent)).toEqual(['商业计划书', '营业执照', '其他']), SLOW);
    expect(listQueries()[0]).toEqual({ page: '1', page_size: '20' });

    await waitFor(() => expect(within(table).getAllByTestId('document-carrier').map((e) => e.textContent)).toEqual([minghu.name_zh, maker.name_zh, '未关联载体']), SLOW);
    expect(within(table).getAllByTestId('document-carrier')[1].getAttribute('href')).toBe('/carriers/C2');
    await waitFor(() => expect(within(table).getAllByTestId('document-company').map((e) => e.textContent)).toEqual([minghuTech.name_zh, team.name_zh, team.name_zh]), SLOW);
    expect(within(table).getAllByTestId('document-status').map((e) => e.textContent)).toEqual(['已核验', '已退回', '已上传']);
    expect(table.textContent).toContain('第 2 版');
    expect(within(table).getAllByTestId('document-filename').map((e) => e.textContent)).toEqual(['商业计划书.pdf', '营业执照.pdf', '其他材料.pdf']);

    // Metadata only: no file links, no buttons, no audit, no expandable versions.
    expect(table.querySelector('a[href*="/content"]')).toBeNull();
    expect(table.querySelector('a[download]')).toBeNull();
    expect(within(table.querySelector('.ant-table-tbody') as HTMLElement).queryAllByRole('button')).toHaveLength(0);
    expect(table.querySelector('.ant-table-row-expand-icon')).toBeNull();
    expect(screen.getByTestId('register-hint').textContent).toContain('不能下载');
    expect(calls.some((c) => c.method !== 'GET')).toBe(false);
  }, 60000);

  it('sends carrier, type, status, file name and page to the server', async () => {
    const { listQueries } = withRegister();
    renderApp('/regions/R1/documents');
    const table = await screen.findByTestId('register-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type')).toHaveLength(3), SLOW);

    await pick('register-carrier-filter', maker.name_zh);
    await waitFor(() => expect(listQueries().at(-1)).toEqual({ carrier: 'C2', page: '1', page_size: '20' }), SLOW);
    await pick('register-type-filter', '营业执照');
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ carrier: 'C2', type: 'business_licence' }), SLOW);
    await pick('register-status-filter', '已退回');
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ carrier: 'C2', type: 'business_licence', status: 'returned' }), SLOW);
    fireEvent.change(screen.getByPlaceholderText('按文件名搜索'), { target: { value: '执照' } });
    fireEvent.keyDown(screen.getByPlaceholderText('按文件名搜索'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(
      () => expect(listQueries().at(-1)).toEqual({ carrier: 'C2', type: 'business_licence', status: 'returned', q: '执照', page: '1', page_size: '20' }),
      SLOW,
    );
    fireEvent.click(screen.getByTitle('4'));
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ q: '执照', page: '4' }), SLOW);
  }, 60000);
});
