import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, Document } from '../../api/documents';
import type { Me } from '../../api/auth';
import { districtViewer, minghuTech, team } from '../../test/companies';
import { doc, documentTypes } from '../../test/documents';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW, type Reply } from '../../test/fakeApi';

const GiB = 1024 ** 3;

const plan = doc({ id: 'D1', company_id: 'K1', status: 'uploaded', filename: '商业计划书.pdf', size: 245760 });
const licence = doc({ id: 'D2', company_id: 'K2', type: 'business_licence', checklist_id: '', status: 'uploaded', filename: '营业执照.pdf', size: 1024 });

const audit: AuditEntry[] = [
  { at: '2026-11-28T02:00:00Z', actor: 'U1', action: 'document.return', detail: { version: 1, comment: '缺少盖章页' } },
  { at: '2026-11-27T03:00:00Z', actor: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', action: 'document.download', detail: { version: 1, via: 'proxy' } },
  { at: '2026-11-27T02:00:00Z', actor: 'UF', action: 'document.upload', detail: { version: 1, filename: '商业计划书.pdf', size: 245760 } },
  { at: '2026-11-29T02:00:00Z', actor: 'system', action: 'document.content_missing', detail: { version: 1 } },
];

function withCarrierDocuments(me: Me = parkAdmin, usage: Reply = { status: 200, body: { used_bytes: 2.5 * GiB, quota_bytes: 10 * GiB } }) {
  let items: Document[] = [plan, licence];
  const calls = fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: me }),
    'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
    'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    'GET /api/v1/carriers/C1/document-usage': () => usage,
    'GET /api/v1/carriers/C1/documents': () => ({ status: 200, body: { items, total: 45, page: 1, page_size: 20 } }),
    'GET /api/v1/companies/K1': () => ({ status: 200, body: minghuTech }),
    'GET /api/v1/companies/K2': () => ({ status: 200, body: team }),
    'GET /api/v1/regions/R1/companies': () => ({ status: 200, body: { items: [minghuTech, team], total: 2, page: 1, page_size: 20 } }),
    'GET /api/v1/companies/K1/members': () => ({
      status: 200,
      body: { items: [{ user_id: 'UF', email: 'founder@lixia.demo', display_name: '创业者 陈总', role: 'company_admin', status: 'active', updated_at: '' }] },
    }),
    'GET /api/v1/documents/D1': () => ({
      status: 200,
      body: {
        ...plan,
        versions: [{ version: 1, id: 'V1', filename: '商业计划书.pdf', size: 245760, sha256: '', content_type: 'application/pdf', uploaded_by: 'UF', uploaded_at: '2026-11-27T02:00:00Z', status: 'uploaded', comment: '' }],
      },
    }),
    'GET /api/v1/documents/D1/audit': () => ({ status: 200, body: { items: audit, total: audit.length, page: 1, page_size: 20 } }),
    'POST /api/v1/documents/D1/verify': () => {
      items = items.map((d) => (d.id === 'D1' ? { ...d, status: 'verified' } : d));
      return { status: 200, body: { ...plan, status: 'verified' } };
    },
    'POST /api/v1/documents/D2/return': (c) => {
      const { comment } = c.body as { comment: string };
      items = items.map((d) => (d.id === 'D2' ? { ...d, status: 'returned', comment } : d));
      return { status: 200, body: { ...licence, status: 'returned', comment } };
    },
  });
  const listQueries = () =>
    calls.filter((c) => c.url.startsWith('/api/v1/carriers/C1/documents')).map((c) => Object.fromEntries(new URL(c.url, 'http://x').searchParams));
  return { calls, listQueries };
}

const rowOf = (table: HTMLElement, filename: string) => within(table).getByTitle(filename).closest('tr') as HTMLElement;

async function pick(testId: string, title: string) {
  fireEvent.mouseDown(screen.getByTestId(testId).querySelector('.ant-select-selector') as Element);
  fireEvent.click((await screen.findAllByTitle(title, {}, SLOW)).at(-1) as Element);
}

describe('资料审核 (a carrier\'s documents)', () => {
  it('opens on what awaits verification, filters on the server, shows storage use and downloads', async () => {
    const { listQueries } = withCarrierDocuments();
    renderApp('/carriers/C1/documents');
    expect((await screen.findByTestId('menu-op-documents', {}, SLOW)).textContent).toBe('资料审核');
    expect((await screen.findByTestId('op-page-title', {}, SLOW)).textContent).toBe('资料审核');
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type').map((e) => e.textContent)).toEqual(['商业计划书', '营业执照']), SLOW);
    expect(listQueries()[0]).toEqual({ status: 'uploaded', page: '1', page_size: '20' });

    // Companies by name, linked; the file, its version and size; the download.
    await waitFor(() => expect(within(table).getAllByTestId('document-company').map((e) => e.textContent)).toEqual([minghuTech.name_zh, team.name_zh]), SLOW);
    expect(within(table).getAllByTestId('document-company')[0].getAttribute('href')).toBe('/companies/K1');
    expect(table.textContent).toContain('第 1 版');
    expect(table.textContent).toContain('240 KB');
    expect(within(table).getAllByTestId('document-download')[0].getAttribute('href')).toBe('/api/v1/documents/D1/versions/1/content');
    expect(within(table).getAllByTestId('document-verify')).toHaveLength(2);
    expect(screen.queryByTestId('documents-read-only')).toBeNull();

    // Storage use on top.
    expect((await screen.findByTestId('documents-usage-text', {}, SLOW)).textContent).toBe('存储用量：已用 2.5 GB，共 10 GB');
    expect(screen.getByTestId('documents-usage').querySelector('.ant-progress')?.getAttribute('aria-valuenow')).toBe('25');

    // Status: another one, then all (no status parameter at all).
    await pick('documents-status-filter', '已退回');
    await waitFor(() => expect(listQueries().at(-1)).toEqual({ status: 'returned', page: '1', page_size: '20' }), SLOW);
    await pick('documents-status-filter', '全部状态');
    await waitFor(() => expect(listQueries().at(-1)).toEqual({ page: '1', page_size: '20' }), SLOW);
    // Type, file name and company.
    await pick('documents-type-filter', '营业执照');
    await waitFor(() => expect(listQueries().at(-1)).toEqual({ type: 'business_licence', page: '1', page_size: '20' }), SLOW);
    fireEvent.change(screen.getByPlaceholderText('按文件名搜索'), { target: { value: ' 执照 ' } });
    fireEvent.keyDown(screen.getByPlaceholderText('按文件名搜索'), { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ type: 'business_licence', q: '执照' }), SLOW);
    await pick('documents-company-filter', team.name_zh);
    await waitFor(() => expect(listQueries().at(-1)).toEqual({ type: 'business_licence', q: '执照', company: 'K2', page: '1', page_size: '20' }), SLOW);
    // Paging stays in the URL and goes to the query.
    fireEvent.click(screen.getByTitle('3'));
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ company: 'K2', page: '3' }), SLOW);
  }, 60000);

  it('verifies, returns with a required comment, and shows the audit trail', async () => {
    const { calls } = withCarrierDocuments();
    renderApp('/carriers/C1/documents');
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-verify')).toHaveLength(2), SLOW);

    fireEvent.click(within(rowOf(table, '商业计划书.pdf')).getByTestId('document-verify'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/documents/D1/verify')).toBe(true), SLOW);
    // The list reloads: the verified document no longer offers verify, still return.
    await waitFor(() => expect(within(rowOf(table, '商业计划书.pdf')).getByTestId('document-status').textContent).toBe('已核验'), SLOW);
    expect(within(rowOf(table, '商业计划书.pdf')).queryByTestId('document-verify')).toBeNull();
    expect(within(rowOf(table, '商业计划书.pdf')).getByTestId('document-return')).toBeTruthy();

    fireEvent.click(within(rowOf(table, '营业执照.pdf')).getByTestId('document-return'));
    fireEvent.click(await screen.findByTestId('return-submit', {}, SLOW));
    expect(await screen.findByText('请填写退回意见', {}, SLOW)).toBeTruthy();
    expect(calls.some((c) => c.url.endsWith('/return'))).toBe(false);
    fireEvent.change(screen.getByTestId('return-comment'), { target: { value: '请上传清晰的扫描件' } });
    fireEvent.click(screen.getByTestId('return-submit'));
    await waitFor(() => expect(within(rowOf(table, '营业执照.pdf')).getByTestId('document-comment').textContent).toBe('请上传清晰的扫描件'), SLOW);
    expect(calls.find((c) => c.url === '/api/v1/documents/D2/return')?.body).toEqual({ comment: '请上传清晰的扫描件' });

    // 操作记录: translated actions, names where known, else the shortened id.
    fireEvent.click(within(rowOf(table, '商业计划书.pdf')).getByTestId('document-audit'));
    const drawer = await screen.findByTestId('audit-drawer', {}, SLOW);
    await waitFor(() => expect(within(drawer).getAllByTestId('audit-action').map((e) => e.textContent)).toEqual(['退回', '下载', '上传', '文件丢失']), SLOW);
    const actors = within(drawer).getAllByTestId('audit-actor');
    expect(actors[0].textContent).toBe('园区管理员');
    expect(actors[1].textContent).toBe('0190a1b2…');
    expect(actors[1].getAttribute('title')).toBe('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    await waitFor(() => expect(within(drawer).getAllByTestId('audit-actor')[2].textContent).toBe('创业者 陈总'), SLOW);
    expect(drawer.textContent).toContain('系统');
    const details = within(drawer).getAllByTestId('audit-detail').map((e) => e.textContent);
    expect(details[0]).toBe('第 1 版 · 意见：缺少盖章页');
    expect(details[2]).toBe('第 1 版 · 商业计划书.pdf');
  }, 60000);

  it('shows district roles the list read-only: no downloads, no verify or return, no usage when refused', async () => {
    const { calls } = withCarrierDocuments(districtViewer, { status: 403, body: { status: 403, code: 'not-allowed', detail: '无权操作' } });
    renderApp('/carriers/C1/documents');
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type')).toHaveLength(2), SLOW);
    expect(screen.getByTestId('documents-read-only').textContent).toContain('只读');
    expect(within(table).queryByTestId('document-download')).toBeNull();
    expect(within(table).queryByTestId('document-verify')).toBeNull();
    expect(within(table).queryByTestId('document-return')).toBeNull();
    expect(table.querySelector('a[href*="/content"]')).toBeNull();
    // The audit trail is metadata: still there.
    expect(within(table).getAllByTestId('document-audit')).toHaveLength(2);
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/carriers/C1/document-usage')).toBe(true), SLOW);
    expect(screen.queryByTestId('documents-usage')).toBeNull();
    expect(document.querySelector('.ant-alert-error')).toBeNull();
    // An expanded row lists the versions by name only.
    fireEvent.click(table.querySelector('.ant-table-row-expand-icon') as Element);
    expect((await screen.findByTestId('version-filename-1', {}, SLOW)).textContent).toBe('商业计划书.pdf');
    expect(screen.queryByTestId('version-download-1')).toBeNull();
  }, 60000);

  it('hides the usage bar when the service answers 404', async () => {
    withCarrierDocuments(parkAdmin, { status: 404, body: { status: 404, code: 'not-found' } });
    renderApp('/carriers/C1/documents');
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type')).toHaveLength(2), SLOW);
    expect(screen.queryByTestId('documents-usage')).toBeNull();
  }, 60000);
});
