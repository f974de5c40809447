import { describe, expect, it } from 'vitest';
import { fakeApi, type Call } from '../test/fakeApi';
import { ApiError } from './client';
import { companyChain, consentPromotion, getPromotion } from './residencies';
import { fileReport, getReport, listReports, reviseReport } from './reports';
import { getApplication, listCompanyApplications, startApplication, submitApplication, updateApplication, withdrawApplication } from './applications';
import { getIntakeCall, listOpenIntakeCalls } from './intakeCalls';
import { listLadder, recordLadderStep } from './ladder';

const ok = (body?: unknown, status = 200) => () => ({ status, body });
const page = (items: unknown[]) => ok({ items, total: items.length, page: 1, page_size: items.length });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);

describe('startup API calls', () => {
  it('lists a region\'s open intake calls and reads one', async () => {
    const calls = fakeApi({
      'GET /api/v1/regions/R1/intake-calls': page([{ id: 'IC1', title_zh: '冬季招募' }]),
      'GET /api/v1/intake-calls/IC1': ok({ id: 'IC1', title_zh: '冬季招募', questions: [] }),
    });
    const p = await listOpenIntakeCalls('R1');
    expect(p.items[0].id).toBe('IC1');
    expect(query(calls[0])).toEqual({ page_size: '100' });
    expect((await getIntakeCall('IC1')).title_zh).toBe('冬季招募');
  });

  it('starts, changes, submits and withdraws an application with the CSRF token', async () => {
    document.cookie = 'incuchain_csrf=tok-1; path=/';
    const app = { id: 'A1', status: 'draft', answers: {} };
    const calls = fakeApi({
      'POST /api/v1/intake-calls/IC1/applications': ok(app, 201),
      'PATCH /api/v1/applications/A1': ok(app),
      'POST /api/v1/applications/A1/submit': ok({ ...app, status: 'submitted' }),
      'POST /api/v1/applications/A1/withdraw': ok({ ...app, status: 'withdrawn' }),
      'GET /api/v1/applications/A1': ok(app),
      'GET /api/v1/companies/K1/applications': page([app]),
    });
    await startApplication('IC1', 'K1', { funding: { amount: 500, unit: 'thousand_yuan' } });
    expect(calls[0].body).toEqual({ company_id: 'K1', answers: { funding: { amount: 500, unit: 'thousand_yuan' } } });
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok-1');
    await updateApplication('A1', { summary: '项目' });
    expect(calls[1].method).toBe('PATCH');
    expect(calls[1].body).toEqual({ answers: { summary: '项目' } });
    expect((await submitApplication('A1')).status).toBe('submitted');
    expect((await withdrawApplication('A1')).status).toBe('withdrawn');
    expect((await getApplication('A1')).id).toBe('A1');
    expect((await listCompanyApplications('K1')).total).toBe(1);
  });

  it('files a report, revises it, and reads the list and one period', async () => {
    const calls = fakeApi({
      'POST /api/v1/companies/K1/reports': ok({ id: 'M1', period: '2026-Q3', revision: 1, warnings: [] }, 201),
      'POST /api/v1/companies/K1/reports/2026-Q3/revisions': ok({ id: 'M1', period: '2026-Q3', revision: 2 }, 201),
      'GET /api/v1/companies/K1/reports': page([{ id: 'M1', period: '2026-Q3' }]),
      'GET /api/v1/companies/K1/reports/2026-Q3': ok({ id: 'M1', period: '2026-Q3', revisions: [] }),
    });
    const body = { metrics: { revenue: { value: 100, unit: 'thousand_yuan' as const }, employees_total: 5 }, explanations: {}, submit: false };
    await fileReport('K1', '2026-Q3', body);
    expect(calls[0].body).toEqual({ period: '2026-Q3', ...body });
    await reviseReport('K1', '2026-Q3', { ...body, submit: true });
    expect(calls[1].body).toEqual({ ...body, submit: true });
    expect(calls[1].body).not.toHaveProperty('period');
    expect((await listReports('K1', { status: 'draft' })).items).toHaveLength(1);
    expect(query(calls[2])).toEqual({ page_size: '100', status: 'draft' });
    expect((await getReport('K1', '2026-Q3')).id).toBe('M1');
  });

  it('reports server field errors as an ApiError', async () => {
    fakeApi({
      'POST /api/v1/companies/K1/reports': () => ({
        status: 422,
        body: { status: 422, detail: '统计报表有误', errors: [{ field: 'metrics.exports.unit', code: 'required', message: '必填' }] },
      }),
    });
    const err = await fileReport('K1', '2026-Q3', { metrics: {}, explanations: {}, submit: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fields[0].field).toBe('metrics.exports.unit');
  });

  it('records ladder steps and reads the chain and promotions', async () => {
    const calls = fakeApi({
      'GET /api/v1/companies/K1/ladder': page([]),
      'POST /api/v1/companies/K1/ladder': ok({ id: 'L1', step: 'startup' }, 201),
      'GET /api/v1/companies/K1/chain': page([{ id: 'RS1' }]),
      'GET /api/v1/residencies/RS1/promotion': ok({ id: 'P1', status: 'proposed' }),
      'POST /api/v1/residencies/RS1/promotion/consent': ok({ id: 'P1', status: 'consented' }),
    });
    expect((await listLadder('K1')).total).toBe(0);
    const input = { step: 'startup', certificate_no: '', date: '2025-03-18', expiry: '', evidence_document_id: '' };
    await recordLadderStep('K1', input);
    expect(calls[1].body).toEqual(input);
    expect((await companyChain('K1')).items[0].id).toBe('RS1');
    expect((await getPromotion('RS1')).status).toBe('proposed');
    expect((await consentPromotion('RS1')).status).toBe('consented');
    expect(calls.at(-1)?.method).toBe('POST');
  });
});
