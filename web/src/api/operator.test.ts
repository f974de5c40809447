import { describe, expect, it } from 'vitest';
import { fakeApi, type Call } from '../test/fakeApi';
import { ApiError } from './client';
import { acceptPromotion, companyChain, exitResidency, getResidency, graduate, listResidencies, moveIn, proposePromotion } from './residencies';
import { closeIntakeCall, createIntakeCall, listIntakeCalls, openIntakeCall, updateIntakeCall } from './intakeCalls';
import { decideApplication, decideApplications, listApplications, reviewApplication } from './applications';
import { listCarrierReports, reviewReport } from './reports';

const ok = (body?: unknown, status = 200) => () => ({ status, body });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);
const empty = { items: [], total: 0, page: 1, page_size: 20 };

describe('operator API calls', () => {
  it('lists, creates, edits, opens and closes intake calls with CSRF on writes', async () => {
    document.cookie = 'incuchain_csrf=tok1; path=/';
    const calls = fakeApi({
      'GET /api/v1/carriers/C1/intake-calls': ok(empty),
      'POST /api/v1/carriers/C1/intake-calls': ok({ id: 'IC1' }, 201),
      'PATCH /api/v1/intake-calls/IC1': ok({ id: 'IC1' }),
      'POST /api/v1/intake-calls/IC1/open': ok({ id: 'IC1', status: 'open' }),
      'POST /api/v1/intake-calls/IC1/close': ok({ id: 'IC1', status: 'closed' }),
    });
    await listIntakeCalls('C1', { status: 'open' });
    expect(query(calls[0])).toEqual({ status: 'open' });
    const q = { key: 'revenue', label_zh: '营收', label_en: '', type: 'money', required: true, unit: 'thousand_yuan' };
    await createIntakeCall('C1', { title_zh: '冬季', questions: [q] });
    expect(calls[1].body).toEqual({ title_zh: '冬季', questions: [q] });
    expect(calls[1].headers['X-CSRF-Token']).toBe('tok1');
    await updateIntakeCall('IC1', { capacity: 5 });
    expect(calls[2].method).toBe('PATCH');
    expect((await openIntakeCall('IC1')).status).toBe('open');
    expect((await closeIntakeCall('IC1')).status).toBe('closed');
    expect(calls.map((c) => c.url.split('?')[0])).toEqual([
      '/api/v1/carriers/C1/intake-calls',
      '/api/v1/carriers/C1/intake-calls',
      '/api/v1/intake-calls/IC1',
      '/api/v1/intake-calls/IC1/open',
      '/api/v1/intake-calls/IC1/close',
    ]);
  });

  it('filters the inbox, reviews, decides one and decides in bulk', async () => {
    const calls = fakeApi({
      'GET /api/v1/carriers/C1/applications': ok(empty),
      'POST /api/v1/applications/A1/reviews': ok({ id: 'A1' }),
      'POST /api/v1/applications/A1/decision': ok({ id: 'A1', status: 'admitted' }),
      'POST /api/v1/carriers/C1/applications/decisions': ok({ items: [{ id: 'A1' }, { id: 'A2' }] }),
    });
    await listApplications('C1', { status: 'submitted', q: '明湖', page: 2, page_size: 20 });
    expect(query(calls[0])).toEqual({ status: 'submitted', q: '明湖', page: '2', page_size: '20' });
    await reviewApplication('A1', { team: 4, fit: 5 }, '不错');
    expect(calls[1].body).toEqual({ scores: { team: 4, fit: 5 }, comment: '不错' });
    await decideApplication('A1', 'admit', '团队优秀');
    expect(calls[2].body).toEqual({ decision: 'admit', reason: '团队优秀' });
    const res = await decideApplications('C1', ['A1', 'A2'], 'reject', '名额已满');
    expect(res.items).toHaveLength(2);
    expect(calls[3].body).toEqual({ ids: ['A1', 'A2'], decision: 'reject', reason: '名额已满' });
  });

  it('reports per-id failures of a bulk decision as field errors', async () => {
    fakeApi({
      'POST /api/v1/carriers/C1/applications/decisions': ok(
        { status: 422, slug: 'decisions-failed', detail: '有 1 份申请无法决定', errors: [{ field: 'ids.A9', code: 'not_found', message: '不存在' }] },
        422,
      ),
    });
    const err = await decideApplications('C1', ['A1', 'A9'], 'admit', 'ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fields).toEqual([{ field: 'ids.A9', code: 'not_found', message: '不存在' }]);
  });

  it('reads and moves residencies and the chain', async () => {
    const calls = fakeApi({
      'GET /api/v1/carriers/C1/residencies': ok(empty),
      'GET /api/v1/residencies/R1': ok({ id: 'R1' }),
      'POST /api/v1/residencies/R1/move-in': ok({ id: 'R1' }),
      'POST /api/v1/residencies/R1/graduate': ok({ id: 'R1' }),
      'POST /api/v1/residencies/R1/exit': ok({ id: 'R1' }),
      'POST /api/v1/residencies/R1/promotions': ok({ id: 'P1' }, 201),
      'POST /api/v1/residencies/R1/promotion/accept': ok({ id: 'P1', status: 'accepted' }),
      'GET /api/v1/companies/K1/chain': ok({ items: [{ id: 'R0' }, { id: 'R1' }], total: 2, page: 1, page_size: 2 }),
    });
    await listResidencies('C1', { status: 'in_residence', industry: 'I', overstaying: true });
    expect(query(calls[0])).toEqual({ status: 'in_residence', industry: 'I', overstaying: 'true' });
    await getResidency('R1');
    await moveIn('R1', { moved_in_on: '2026-11-27', unit: 'A-301', area_m2: 120.5 });
    expect(calls[2].body).toEqual({ moved_in_on: '2026-11-27', unit: 'A-301', area_m2: 120.5 });
    await graduate('R1', { reason: 'financing', on: '' });
    await exitResidency('R1', { reason: '经营困难', on: '2026-11-01' });
    expect(calls[4].body).toEqual({ reason: '经营困难', on: '2026-11-01' });
    await proposePromotion('R1', 'C2', '推荐', ['milestones']);
    expect(calls[5].body).toEqual({ to_carrier_id: 'C2', note: '推荐', shared: ['milestones'] });
    expect((await acceptPromotion('R1')).status).toBe('accepted');
    expect((await companyChain('K1')).items.map((r) => r.id)).toEqual(['R0', 'R1']);
  });

  it('reads the report overview with its counts and reviews a report', async () => {
    const calls = fakeApi({
      'GET /api/v1/carriers/C1/reports': ok({ ...empty, period: '2026-Q3', due_on: '2026-10-15', counts: { missing: 2 } }),
      'POST /api/v1/companies/K1/reports/2026-Q3/review': ok({ id: 'MR1', status: 'returned' }),
    });
    const page = await listCarrierReports('C1', { period: '2026-Q3', overdue: true, reminders: false });
    expect(page.counts).toEqual({ missing: 2 });
    expect(page.period).toBe('2026-Q3');
    expect(query(calls[0])).toEqual({ period: '2026-Q3', overdue: 'true', reminders: 'false' });
    await reviewReport('K1', '2026-Q3', 'return', '请补充说明');
    expect(calls[1].body).toEqual({ decision: 'return', comment: '请补充说明' });
  });
});
