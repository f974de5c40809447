import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../i18n';
import { fakeApi, type Call } from '../test/fakeApi';
import { ApiError } from './client';
import { clearRollupCache, downloadExport, exportUrl, filenameOf, getFlows, getReports, listRows, type FlowsFigure } from './rollups';

const window = { from: '2026-07-01', to: '2026-09-30', label: '2026-Q3' };
const flows: FlowsFigure = {
  window,
  companies: { in_residence: 41, admitted: 9, moved_in: 8, graduated: 3, exited: 1, promoted: 2, past_term: 4 },
  promotions: [{ from_kind: 'maker_space', to_kind: 'incubator', companies: 2 }],
};
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);

afterEach(() => {
  clearRollupCache();
  setLanguage('zh-CN');
});

describe('rollups API calls', () => {
  it('sends the filters as query parameters and leaves unset ones out', async () => {
    const calls = fakeApi({ 'GET /api/v1/regions/R1/rollups/residencies': () => ({ status: 200, body: flows, headers: { ETag: '"a1"' } }) });
    const got = await getFlows('R1', { period: '2026-Q3', carrier_kind: 'incubator', industry: 'I', carrier_id: undefined, as_of: '' });
    expect(got.companies.in_residence).toBe(41);
    expect(calls[0].url.split('?')[0]).toBe('/api/v1/regions/R1/rollups/residencies');
    expect(query(calls[0])).toEqual({ period: '2026-Q3', carrier_kind: 'incubator', industry: 'I' });
    expect(calls[0].headers['Accept-Language']).toBe('zh-CN');
  });

  it('asks again with If-None-Match and keeps the answer on a 304', async () => {
    let n = 0;
    const calls = fakeApi({
      'GET /api/v1/regions/R1/rollups/residencies': () => (++n === 1 ? { status: 200, body: flows, headers: { ETag: '"a1"' } } : { status: 304, headers: { ETag: '"a1"' } }),
    });
    await getFlows('R1', { period: '2026-Q3' });
    const again = await getFlows('R1', { period: '2026-Q3' });
    expect(calls).toHaveLength(2);
    expect(calls[0].headers['If-None-Match']).toBeUndefined();
    expect(calls[1].headers['If-None-Match']).toBe('"a1"');
    expect(again.companies.graduated).toBe(3);
    // Another filter is another answer: no ETag is sent for it.
    const other = fakeApi({ 'GET /api/v1/regions/R1/rollups/residencies': () => ({ status: 200, body: flows, headers: { ETag: '"b2"' } }) });
    await getFlows('R1', { period: '2026-Q2' });
    expect(other[0].headers['If-None-Match']).toBeUndefined();
  });

  it('keeps answers per language (the server words them)', async () => {
    const calls = fakeApi({ 'GET /api/v1/regions/R1/rollups/reports': () => ({ status: 200, body: { window }, headers: { ETag: '"r"' } }) });
    await getReports('R1', {});
    setLanguage('en');
    await getReports('R1', {});
    expect(calls[1].headers['If-None-Match']).toBeUndefined();
    expect(calls[1].headers['Accept-Language']).toBe('en');
  });

  it('pages the rows behind a measure with search', async () => {
    const calls = fakeApi({ 'GET /api/v1/regions/R1/rollups/residencies/rows': () => ({ status: 200, body: { items: [], total: 0, page: 2, page_size: 20 } }) });
    const page = await listRows('R1', 'residencies', { as_of: '2026-08-15', measure: 'graduated', q: '明湖', page: 2, page_size: 20 });
    expect(page.page).toBe(2);
    expect(query(calls[0])).toEqual({ as_of: '2026-08-15', measure: 'graduated', q: '明湖', page: '2', page_size: '20' });
  });

  it('reads conflicts as a page of their own route', async () => {
    const calls = fakeApi({ 'GET /api/v1/regions/R1/rollups/conflicts': () => ({ status: 200, body: { items: [], total: 0, page: 1, page_size: 10 } }) });
    await listRows('R1', 'conflicts', { page: 1, page_size: 10 });
    expect(calls[0].url.split('?')[0]).toBe('/api/v1/regions/R1/rollups/conflicts');
  });

  it('turns a bad filter into an ApiError with its field', async () => {
    fakeApi({
      'GET /api/v1/regions/R1/rollups/residencies': () => ({
        status: 422,
        body: { status: 422, slug: 'invalid-filter', detail: '筛选条件有误', errors: [{ field: 'period', message: '期间格式应为 2026-Q3' }] },
      }),
    });
    const err = await getFlows('R1', { period: '2026-Q9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).slug).toBe('invalid-filter');
    expect((err as ApiError).fieldError('period')?.message).toBe('期间格式应为 2026-Q3');
  });
});

describe('exports', () => {
  it('builds the export URL with the filters, the selector and no paging', () => {
    const url = exportUrl('R1', 'residencies', 'csv', { period: '2026', measure: 'admitted', page: 3, page_size: 20, q: 'x' });
    const u = new URL(url, 'http://x');
    expect(u.pathname).toBe('/api/v1/regions/R1/rollups/export');
    expect(Object.fromEntries(u.searchParams)).toEqual({ period: '2026', measure: 'admitted', table: 'residencies', format: 'csv' });
  });

  it('reads the file as it streams and reports the bytes received', async () => {
    const parts = ['\uFEFF企业,信用代码\n', '济南明湖智能科技有限公司,91370102MA3C5T2R03\n'].map((s) => new TextEncoder().encode(s));
    const fetch = vi.fn(async () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          parts.forEach((p) => c.enqueue(p));
          c.close();
        },
      });
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': "attachment; filename=residencies.csv; filename*=UTF-8''%E5%9C%A8%E5%AD%B5.csv" },
      });
    });
    vi.stubGlobal('fetch', fetch);
    const seen: number[] = [];
    const file = await downloadExport('R1', 'residencies', 'csv', { period: '2026-Q3', measure: 'in_residence' }, (b) => seen.push(b));
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    expect(file.bytes).toBe(total);
    expect(seen[0]).toBe(0);
    expect(seen).toContain(parts[0].byteLength);
    expect(seen.at(-1)).toBe(total);
    expect(file.filename).toBe('在孵.csv');
    expect(file.blob.size).toBe(total);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toContain('table=residencies');
    expect(url).toContain('format=csv');
    expect((init.headers as Record<string, string>)['Accept-Language']).toBe('zh-CN');
  });

  it('reports a refused export as an ApiError', async () => {
    fakeApi({ 'GET /api/v1/regions/R9/rollups/export': () => ({ status: 404, body: { status: 404, slug: 'region-not-found', detail: '区域不存在' } }) });
    const err = await downloadExport('R9', 'carriers', 'xlsx', {}).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(404);
    expect((err as ApiError).message).toBe('区域不存在');
  });

  it('takes the UTF-8 file name over the plain one', () => {
    expect(filenameOf("attachment; filename=a.xlsx; filename*=UTF-8''%E8%BD%BD%E4%BD%93.xlsx", 'x')).toBe('载体.xlsx');
    expect(filenameOf('attachment; filename="a.csv"', 'x')).toBe('a.csv');
    expect(filenameOf(null, 'x.csv')).toBe('x.csv');
  });
});
