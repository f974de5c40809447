import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Document } from '../api/documents';
import type { Me } from '../api/auth';
import { companyRoutes } from '../pages/startup/testdata';
import { districtViewer, founder, minghuTech } from '../test/companies';
import { doc, documentTypes } from '../test/documents';
import { fakeApi, renderApp, SLOW } from '../test/fakeApi';
import { fakeXhr } from '../test/fakeXhr';

const returned = doc({ id: 'D2', version: 2, status: 'returned', comment: '缺少盖章页', size: 245760 });
const licence = doc({ id: 'D5', type: 'business_licence', checklist_id: '', status: 'verified', filename: '营业执照.pdf', size: 1024 });

function withDocuments(me: Me = founder) {
  let items: Document[] = [returned, licence];
  const calls = fakeApi({
    ...companyRoutes(),
    'GET /api/v1/auth/me': () => ({ status: 200, body: me }),
    'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
    'GET /api/v1/companies/K1/members': () => ({ status: 200, body: { items: [] } }),
    'GET /api/v1/companies/K1/documents': () => ({ status: 200, body: { items, total: 41, page: 1, page_size: 20 } }),
    'GET /api/v1/documents/D2/audit': () => ({
      status: 200,
      body: {
        items: [
          { at: '2026-11-28T03:00:00Z', actor: 'UP', action: 'document.return', detail: { version: 2, comment: '缺少盖章页' } },
          { at: '2026-11-28T02:00:00Z', actor: 'UF', action: 'document.upload', detail: { version: 2, filename: '商业计划书-修订.pdf' } },
        ],
        total: 2,
        page: 1,
        page_size: 20,
      },
    }),
    'GET /api/v1/documents/D2': () => ({
      status: 200,
      body: {
        ...returned,
        versions: [
          { version: 2, id: 'V2', filename: '商业计划书-修订.pdf', size: 245760, sha256: '', content_type: 'application/pdf', uploaded_by: 'UF', uploaded_at: '2026-11-28T02:00:00Z', status: 'returned', comment: '缺少盖章页' },
          { version: 1, id: 'V1', filename: '商业计划书.pdf', size: 200000, sha256: '', content_type: 'application/pdf', uploaded_by: 'UF', uploaded_at: '2026-11-27T02:00:00Z', status: 'returned', comment: '' },
        ],
      },
    }),
  });
  const listQueries = () =>
    calls.filter((c) => c.url.startsWith('/api/v1/companies/K1/documents')).map((c) => Object.fromEntries(new URL(c.url, 'http://x').searchParams));
  return { calls, listQueries, add: (d: Document) => (items = [d, ...items]) };
}

describe('a company\'s documents tab', () => {
  it('lists documents with filters and paging on the server, opens versions, and uploads', async () => {
    const { listQueries, add } = withDocuments();
    renderApp('/company/K1/documents');
    expect((await screen.findByTestId('startup-tab-documents', {}, SLOW)).textContent).toBe('资料');
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type').map((e) => e.textContent)).toEqual(['商业计划书', '营业执照']), SLOW);
    const [first] = within(table).getAllByTestId('document-status');
    expect(first.textContent).toBe('已退回');
    expect(within(table).getByTestId('document-comment').textContent).toBe('缺少盖章页');
    expect(table.textContent).toContain('第 2 版');
    expect(table.textContent).toContain('240 KB');
    expect(table.textContent).toContain('申请材料');
    expect(within(table).getAllByTestId('document-download')[0].getAttribute('href')).toBe('/api/v1/documents/D2/versions/2/content');
    // Members delete what is not verified.
    expect(within(table).getAllByTestId('document-delete')).toHaveLength(1);
    expect(listQueries()[0]).toEqual({ page: '1', page_size: '20' });

    fireEvent.mouseDown(screen.getByTestId('documents-status-filter').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('已退回'));
    await waitFor(() => expect(listQueries().at(-1)).toEqual({ status: 'returned', page: '1', page_size: '20' }), SLOW);
    fireEvent.mouseDown(screen.getByTestId('documents-type-filter').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('商业计划书'));
    await waitFor(() => expect(listQueries().at(-1)).toMatchObject({ status: 'returned', type: 'business_plan' }), SLOW);
    fireEvent.click(screen.getByTitle('3'));
    await waitFor(() => expect(listQueries().at(-1)?.page).toBe('3'), SLOW);

    // A row opens its versions, each downloadable.
    fireEvent.click(table.querySelector('.ant-table-row-expand-icon') as Element);
    const v1 = await screen.findByTestId('version-download-1', {}, SLOW);
    expect(v1.getAttribute('href')).toBe('/api/v1/documents/D2/versions/1/content');
    expect(screen.getByTestId('version-download-2').textContent).toBe('商业计划书-修订.pdf');

    // Upload: pick a type, then the file; no checklist outside an application.
    const xhrs = fakeXhr((x) => {
      const d = doc({ id: 'D8', type: 'business_licence', checklist_id: '', filename: x.query.filename });
      add(d);
      setTimeout(() => x.reply(201, d));
    });
    fireEvent.click(screen.getByTestId('documents-upload'));
    fireEvent.mouseDown((await screen.findByTestId('documents-upload-type', {}, SLOW)).querySelector('.ant-select-selector') as Element);
    fireEvent.click((await screen.findAllByTitle('营业执照')).at(-1) as Element);
    const uploader = await screen.findByTestId('documents-uploader', {}, SLOW);
    expect(within(uploader).getByTestId('upload-hint').textContent).toBe('支持 PDF、JPG 图片、PNG 图片，单个文件不超过 10.0 MB');
    fireEvent.change(uploader.querySelector('input[type="file"]') as HTMLInputElement, {
      target: { files: [new File(['%PDF-1.4'], '新营业执照.pdf', { type: 'application/pdf' })] },
    });
    await within(uploader).findByTestId('upload-done', {}, SLOW);
    expect(xhrs[0].query).toEqual({ type: 'business_licence', filename: '新营业执照.pdf' });
    // The list reloads with the new document.
    await waitFor(() => expect(within(screen.getByTestId('documents-table')).getAllByTestId('document-filename')[0].textContent).toBe('新营业执照.pdf'), SLOW);
  }, 60000);

  it('shows district staff the company\'s documents read-only on the company page', async () => {
    withDocuments(districtViewer);
    renderApp('/companies/K1');
    await waitFor(() => expect(screen.getByTestId('company-title').textContent).toBe(minghuTech.name_zh), SLOW);
    fireEvent.click(screen.getByTestId('company-tab-documents'));
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-type')).toHaveLength(2), SLOW);
    expect(screen.queryByTestId('documents-upload')).toBeNull();
    expect(within(table).queryByTestId('document-delete')).toBeNull();
    // The district reads metadata: no downloads (they would answer 403).
    expect(within(table).queryByTestId('document-download')).toBeNull();
    expect(table.querySelector('a[href*="/content"]')).toBeNull();
  }, 60000);

  it('opens a document\'s audit trail from its row', async () => {
    withDocuments();
    renderApp('/company/K1/documents');
    const table = await screen.findByTestId('documents-table', {}, SLOW);
    await waitFor(() => expect(within(table).getAllByTestId('document-audit')).toHaveLength(2), SLOW);
    fireEvent.click(within(table).getAllByTestId('document-audit')[0]);
    const drawer = await screen.findByTestId('audit-drawer', {}, SLOW);
    await waitFor(() => expect(within(drawer).getAllByTestId('audit-action').map((e) => e.textContent)).toEqual(['退回', '上传']), SLOW);
    // The founder is named; the park operator, unknown to the company, shows by id.
    expect(within(drawer).getAllByTestId('audit-actor').map((e) => e.textContent)).toEqual(['UP', '创业者 陈总']);
    expect(within(drawer).getAllByTestId('audit-detail')[0].textContent).toBe('第 2 版 · 意见：缺少盖章页');
  }, 60000);
});
