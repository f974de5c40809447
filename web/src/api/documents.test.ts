import { describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../i18n';
import { doc, documentTypes } from '../test/documents';
import { fakeApi, type Call } from '../test/fakeApi';
import { fakeXhr } from '../test/fakeXhr';
import { ApiError, parseProblem, setUnauthorizedHandler } from './client';
import {
  applicationChecklistId,
  carrierDocumentUsage,
  contentUrl,
  deleteDocument,
  documentAudit,
  getChecklist,
  getDocument,
  listCarrierDocuments,
  listCompanyDocuments,
  listDocumentTypes,
  listRegionDocuments,
  returnDocument,
  uploadDocument,
  uploadVersion,
  verifyDocument,
} from './documents';

const ok = (body?: unknown, status = 200) => () => ({ status, body });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);
const pdf = () => new File(['%PDF-1.4\n%%EOF\n'], '商业计划书 v1.pdf', { type: 'application/pdf' });

describe('documents API calls', () => {
  it('lists types and documents, reads a document, its checklist and audit', async () => {
    const calls = fakeApi({
      'GET /api/v1/regions/R1/document-types': ok(documentTypes),
      'GET /api/v1/companies/K1/documents': ok({ items: [doc()], total: 1, page: 2, page_size: 10 }),
      'GET /api/v1/documents/D1': ok(doc({ versions: [] })),
      'GET /api/v1/checklists/application:A1': ok({ id: 'application:A1', slots: [] }),
      'GET /api/v1/documents/D1/audit': ok({ items: [{ at: '2026-11-27T02:00:00Z', actor: 'UF', action: 'upload' }], total: 1, page: 1, page_size: 20 }),
    });
    expect((await listDocumentTypes('R1')).items.map((d) => d.code)).toEqual(['business_licence', 'business_plan']);
    const list = await listCompanyDocuments('K1', { type: 'business_plan', status: 'returned', page: 2, page_size: 10, q: undefined });
    expect(list.total).toBe(1);
    expect(query(calls[1])).toEqual({ type: 'business_plan', status: 'returned', page: '2', page_size: '10' });
    expect((await getDocument('D1')).versions).toEqual([]);
    expect((await getChecklist(applicationChecklistId('A1'))).id).toBe('application:A1');
    // The checklist id is one path segment.
    expect(calls[3].url).toBe('/api/v1/checklists/application:A1');
    expect((await documentAudit('D1')).items[0].action).toBe('upload');
  });

  it('lists a carrier\'s and a region\'s documents with their filters, the storage use and a paged audit', async () => {
    const calls = fakeApi({
      'GET /api/v1/carriers/C1/documents': ok({ items: [doc()], total: 1, page: 1, page_size: 20 }),
      'GET /api/v1/regions/R1/documents': ok({ items: [doc()], total: 1, page: 1, page_size: 20 }),
      'GET /api/v1/carriers/C1/document-usage': ok({ used_bytes: 1024, quota_bytes: 4096 }),
      'GET /api/v1/documents/D1/audit': ok({ items: [], total: 30, page: 2, page_size: 20 }),
    });
    expect((await listCarrierDocuments('C1', { status: 'uploaded', company: 'K1', q: '计划书', page: 1, page_size: 20 })).total).toBe(1);
    expect(query(calls[0])).toEqual({ status: 'uploaded', company: 'K1', q: '计划书', page: '1', page_size: '20' });
    expect((await listRegionDocuments('R1', { carrier: 'C1', type: 'business_plan' })).items).toHaveLength(1);
    expect(query(calls[1])).toEqual({ carrier: 'C1', type: 'business_plan' });
    expect(await carrierDocumentUsage('C1')).toEqual({ used_bytes: 1024, quota_bytes: 4096 });
    expect((await documentAudit('D1', { page: 2, page_size: 20 })).total).toBe(30);
    expect(query(calls[3])).toEqual({ page: '2', page_size: '20' });
  });

  it('verifies, returns with a comment and deletes with the CSRF token', async () => {
    document.cookie = 'incuchain_csrf=tok-9; path=/';
    const calls = fakeApi({
      'POST /api/v1/documents/D1/verify': ok(doc({ status: 'verified' })),
      'POST /api/v1/documents/D1/return': ok(doc({ status: 'returned', comment: '请补充盖章页' })),
      'DELETE /api/v1/documents/D1': () => ({ status: 204 }),
    });
    expect((await verifyDocument('D1')).status).toBe('verified');
    expect(calls[0].body).toEqual({});
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok-9');
    expect((await returnDocument('D1', '请补充盖章页')).comment).toBe('请补充盖章页');
    expect(calls[1].body).toEqual({ comment: '请补充盖章页' });
    await deleteDocument('D1');
    expect(calls[2].method).toBe('DELETE');
  });

  it('links a version\'s streamed content', () => {
    expect(contentUrl('D1', 2)).toBe('/api/v1/documents/D1/versions/2/content');
    expect(contentUrl('a/b', 1)).toBe('/api/v1/documents/a%2Fb/versions/1/content');
  });
});

describe('uploadDocument', () => {
  it('posts the raw file with type, checklist and name, the CSRF header and language, and reports progress', async () => {
    document.cookie = 'incuchain_csrf=tok-1; path=/';
    setLanguage('en');
    const xhrs = fakeXhr();
    const progress: number[] = [];
    const file = pdf();
    const p = uploadDocument('K1', file, {
      type: 'business_plan',
      checklistId: 'application:A1',
      onProgress: (e) => progress.push(e.percent),
    });
    expect(xhrs).toHaveLength(1);
    const x = xhrs[0];
    expect(x.method).toBe('POST');
    expect(x.path).toBe('/api/v1/companies/K1/documents');
    expect(x.query).toEqual({ type: 'business_plan', checklist: 'application:A1', filename: '商业计划书 v1.pdf' });
    expect(x.body).toBe(file);
    expect(x.withCredentials).toBe(true);
    expect(x.headers['X-CSRF-Token']).toBe('tok-1');
    expect(x.headers['Accept-Language']).toBe('en');
    expect(x.headers['Content-Type']).toBe('application/pdf');
    x.progress(5, 20);
    x.progress(20, 20);
    x.reply(201, doc({ id: 'D7' }));
    expect((await p).id).toBe('D7');
    expect(progress).toEqual([25, 100]);
    setLanguage('zh-CN');
  });

  it('rejects with the parsed problem+json, field errors included', async () => {
    const xhrs = fakeXhr((x) =>
      x.reply(415, {
        type: 'about:blank',
        title: '文件类型不允许',
        status: 415,
        detail: '商业计划书只接受 PDF 文件，收到的是 image/png',
        code: 'type-not-allowed',
        errors: [{ field: 'file', code: 'type_not_allowed', message: '仅支持 PDF' }],
      }),
    );
    const err = await uploadDocument('K1', pdf(), { type: 'business_plan' }).catch((e: unknown) => e);
    expect(xhrs[0].query).toEqual({ type: 'business_plan', filename: '商业计划书 v1.pdf' });
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(415);
    expect(e.code).toBe('type-not-allowed');
    expect(e.message).toBe('商业计划书只接受 PDF 文件，收到的是 image/png');
    expect(e.fieldError('file')?.message).toBe('仅支持 PDF');
  });

  it('turns a proxy\'s HTML answer into a bare problem with the status, and keeps Retry-After', async () => {
    fakeXhr((x) => x.reply(413, '<html>Request Entity Too Large</html>', { 'Retry-After': '30' }, 'Payload Too Large'));
    const e = (await uploadDocument('K1', pdf(), { type: 'business_plan' }).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(413);
    expect(e.problem).toEqual({ status: 413, title: 'Payload Too Large' });
    expect(e.retryAfter).toBe(30);
    expect(parseProblem(500, '', '')).toEqual({ status: 500, title: undefined });
  });

  it('reports a lost connection as status 0 and a 401 to the session', async () => {
    fakeXhr((x) => x.fail());
    const e = (await uploadDocument('K1', pdf(), { type: 'other' }).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(0);
    expect(e.code).toBe('network');

    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    fakeXhr((x) => x.reply(401, { status: 401, title: '未登录' }));
    const e401 = (await uploadDocument('K1', pdf(), { type: 'other' }).catch((x: unknown) => x)) as ApiError;
    expect(e401.status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    setUnauthorizedHandler(undefined);
  });

  it('aborts through a signal', async () => {
    const xhrs = fakeXhr();
    const ctrl = new AbortController();
    const p = uploadDocument('K1', pdf(), { type: 'other', signal: ctrl.signal });
    ctrl.abort();
    const e = await p.catch((x: unknown) => x);
    expect(xhrs[0].aborted).toBe(true);
    expect((e as DOMException).name).toBe('AbortError');
  });

  it('adds a version to an existing document', async () => {
    const xhrs = fakeXhr((x) => x.reply(201, doc({ version: 2 })));
    const d = await uploadVersion('D1', pdf());
    expect(d.version).toBe(2);
    expect(xhrs[0].path).toBe('/api/v1/documents/D1/versions');
    expect(xhrs[0].query).toEqual({ filename: '商业计划书 v1.pdf' });
  });
});
