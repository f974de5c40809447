import { describe, expect, it } from 'vitest';
import { fakeApi, type Call } from '../test/fakeApi';
import { milestone, plan } from '../test/milestones';
import { ApiError } from './client';
import {
  addMilestone,
  applyTemplate,
  canDecide,
  canReport,
  canSubmit,
  companyMilestoneTimeline,
  getMilestone,
  listCarrierMilestones,
  postProgress,
  regionMilestoneCounts,
  removeMilestone,
  rescheduleMilestone,
  returnMilestone,
  submitMilestone,
  verifyMilestone,
  waiveMilestone,
} from './milestones';

const ok = (body?: unknown, status = 200) => () => ({ status, body });
const query = (c: Call) => Object.fromEntries(new URL(c.url, 'http://x').searchParams);
const empty = { items: [], total: 0, page: 1, page_size: 20 };

describe('milestones API calls', () => {
  it('applies a template, adds and removes a milestone with CSRF on writes', async () => {
    document.cookie = 'incuchain_csrf=tok9; path=/';
    const calls = fakeApi({
      'POST /api/v1/residencies/RS1/milestone-plan': ok(plan([milestone()], { template_id: 'T1', template_version: 1 }), 201),
      'POST /api/v1/residencies/RS1/milestones': ok(milestone({ id: 'M2' }), 201),
      'DELETE /api/v1/milestones/M2': () => ({ status: 204 }),
    });
    const p = await applyTemplate('RS1');
    expect(p.template_id).toBe('T1');
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok9');
    const body = { title_zh: '团队组建', category: 'team' as const, due_on: '2026-05-01', evidence_types: ['milestone_evidence'], target: null };
    expect((await addMilestone('RS1', body)).id).toBe('M2');
    expect(calls[1].body).toEqual(body);
    await removeMilestone('M2');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/v1/residencies/RS1/milestone-plan',
      'POST /api/v1/residencies/RS1/milestones',
      'DELETE /api/v1/milestones/M2',
    ]);
  });

  it('posts progress, submits, and sends decisions with their comment or reason', async () => {
    const m = milestone({ state: 'in_progress' });
    const calls = fakeApi({
      'POST /api/v1/milestones/M1/updates': ok({ update: { id: 'UP1', author_id: 'UF', author_name: '创业者 陈总', at: '', text: 'x', percent: null, figure: null, evidence: ['D1'] }, milestone: m }, 201),
      'POST /api/v1/milestones/M1/submit': ok({ ...m, state: 'submitted' }),
      'POST /api/v1/milestones/M1/return': ok({ ...m, state: 'returned' }),
      'POST /api/v1/milestones/M1/verify': ok({ ...m, state: 'verified' }),
      'POST /api/v1/milestones/M1/waive': ok({ ...m, state: 'waived' }),
      'POST /api/v1/milestones/M1/reschedule': ok({ ...m, due_on: '2026-09-30' }),
    });
    const res = await postProgress('M1', { text: '签订首份合同', figure: { value: 120, unit: 'thousand_yuan' }, percent: null, evidence: ['D1'] });
    expect(res.update.evidence).toEqual(['D1']);
    expect(calls[0].body).toEqual({ text: '签订首份合同', figure: { value: 120, unit: 'thousand_yuan' }, percent: null, evidence: ['D1'] });
    expect((await submitMilestone('M1')).state).toBe('submitted');
    expect((await returnMilestone('M1', '请补充发票')).state).toBe('returned');
    expect(calls[2].body).toEqual({ comment: '请补充发票' });
    expect((await verifyMilestone('M1')).state).toBe('verified');
    expect(calls[3].body).toEqual({});
    await waiveMilestone('M1', '业务调整');
    expect(calls[4].body).toEqual({ reason: '业务调整' });
    await rescheduleMilestone('M1', '2026-09-30', '延期');
    expect(calls[5].body).toEqual({ due_on: '2026-09-30', reason: '延期' });
  });

  it('reads boards with their filters: the overdue board, the queue, the timeline and the counts', async () => {
    const calls = fakeApi({
      'GET /api/v1/carriers/C1/milestones': ok(empty),
      'GET /api/v1/companies/K1/milestone-timeline': ok(empty),
      'GET /api/v1/regions/R1/milestone-counts': ok(empty),
      'GET /api/v1/milestones/M1': ok({ milestone: milestone(), updates: [], history: [] }),
    });
    await listCarrierMilestones('C1', { overdue: true, state: 'in_progress', q: '', page: 2 });
    expect(query(calls[0])).toEqual({ overdue: 'true', state: 'in_progress', page: '2' });
    await listCarrierMilestones('C1', { state: 'submitted' });
    expect(query(calls[1])).toEqual({ state: 'submitted' });
    await companyMilestoneTimeline('K1', { category: 'revenue' });
    expect(query(calls[2])).toEqual({ category: 'revenue' });
    await regionMilestoneCounts('R1');
    expect(calls[3].url.split('?')[0]).toBe('/api/v1/regions/R1/milestone-counts');
    expect((await getMilestone('M1')).milestone.title_en).toBe('First revenue');
  });

  it('turns a refusal into an ApiError with its field errors', async () => {
    fakeApi({
      'POST /api/v1/milestones/M1/updates': () => ({
        status: 422,
        body: {
          status: 422,
          code: 'invalid-progress',
          detail: '输入有误',
          errors: [
            { field: 'figure.unit', code: 'wrong_unit', message: '单位应为千元' },
            { field: 'evidence[0]', code: 'evidence_type_not_taken', message: '该里程碑不接受此类材料' },
          ],
        },
      }),
    });
    const err = await postProgress('M1', { text: 'x', figure: { value: 1, unit: 'people' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldError('figure')?.code).toBe('wrong_unit');
    expect((err as ApiError).fieldError('evidence')?.code).toBe('evidence_type_not_taken');
  });

  it('offers each step only in the states that allow it', () => {
    const at = (state: ReturnType<typeof milestone>['state'], plan_status: 'open' | 'closed' = 'open') => ({ state, plan_status });
    expect(canReport(at('planned'))).toBe(true);
    expect(canReport(at('returned'))).toBe(true);
    expect(canReport(at('submitted'))).toBe(false);
    expect(canReport(at('in_progress', 'closed'))).toBe(false);
    expect(canSubmit(at('planned'))).toBe(false);
    expect(canSubmit(at('returned'))).toBe(true);
    expect(canDecide(at('submitted'))).toBe(true);
    expect(canDecide(at('verified'))).toBe(false);
  });
});
