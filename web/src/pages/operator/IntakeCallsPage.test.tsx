import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { keyFromLabel } from '../../lib/labelKeys';
import { describe, expect, it } from 'vitest';
import type { IntakeCall } from '../../api/intakeCalls';
import { fakeApi, minghu, parkAdmin, renderApp, SLOW } from '../../test/fakeApi';
import { fromIntakeCall, toIntakeCallInput } from './IntakeCallForm';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });

const draft: IntakeCall = {
  id: 'IC1',
  region_id: 'R1',
  carrier_id: 'C1',
  title_zh: '2026 冬季招募',
  title_en: 'Winter 2026',
  opens_on: '2026-11-01',
  closes_on: '2026-12-31',
  eligibility: '',
  materials: ['business_plan'],
  questions: [],
  criteria: ['team', 'technology', 'market', 'fit'],
  capacity: 10,
  min_reviews: 1,
  status: 'draft',
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
};

/** pick opens an antd Select and clicks the option with the given label. */
async function pick(select: HTMLElement, option: string) {
  fireEvent.mouseDown(within(select).getByRole('combobox'));
  const opts = await screen.findAllByTitle(option, {}, SLOW);
  fireEvent.click(opts[opts.length - 1]);
}

describe('intake call form mapping', () => {
  it('keeps options only for a choice and a unit only for money; an open call sends no form', () => {
    const body = toIntakeCallInput({
      title_zh: ' 冬季 ',
      opens_on: '2026-11-01',
      closes_on: '2026-12-31',
      capacity: 5,
      materials: ['business_plan'],
      criteria: ['team', ' '],
      questions: [
        { key: 'revenue', label_zh: '营收', type: 'money', unit: 'thousand_yuan', options: ['x'] },
        { key: 'stage', label_zh: '阶段', type: 'choice', options: ['idea', ' mvp ', ''], unit: 'yuan' },
        { key: 'founded', label_zh: '成立日期', type: 'date', required: true },
      ],
    });
    expect(body.title_zh).toBe('冬季');
    expect(body.criteria).toEqual(['team']);
    expect(body.questions).toEqual([
      { key: 'revenue', label_zh: '营收', label_en: '', type: 'money', required: false, unit: 'thousand_yuan' },
      { key: 'stage', label_zh: '阶段', label_en: '', type: 'choice', required: false, options: ['idea', 'mvp'] },
      { key: 'founded', label_zh: '成立日期', label_en: '', type: 'date', required: true },
    ]);
    const frozen = toIntakeCallInput({ title_zh: 'x', questions: [{ key: 'a', type: 'text' }] }, true);
    expect(frozen.questions).toBeUndefined();
    expect(frozen.materials).toBeUndefined();
    expect(frozen.criteria).toBeUndefined();
  });

  it('sends min_reviews as entered, and 0 (the service default) when left empty', () => {
    expect(toIntakeCallInput({ title_zh: 'x', min_reviews: 3 }).min_reviews).toBe(3);
    expect(toIntakeCallInput({ title_zh: 'x', min_reviews: null }).min_reviews).toBe(0);
    expect(fromIntakeCall({ ...draft, min_reviews: 2 }).min_reviews).toBe(2);
  });
});

describe('intake call form: min_reviews', () => {
  it('refuses a number of reviews out of 1–20 before sending, then sends the one entered', async () => {
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/intake-calls': () => page([]),
      'POST /api/v1/carriers/C1/intake-calls': () => ({ status: 201, body: draft }),
    });
    renderApp('/carriers/C1/intake');
    fireEvent.click(await screen.findByTestId('intake-call-create', {}, SLOW));
    fireEvent.change(await screen.findByTestId('intake-title-zh', {}, SLOW), { target: { value: '2026 冬季招募' } });
    fireEvent.change(screen.getByTestId('intake-opens-on'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('intake-closes-on'), { target: { value: '2026-12-31' } });
    fireEvent.change(screen.getByTestId('intake-min-reviews'), { target: { value: '25' } });
    fireEvent.click(screen.getByTestId('intake-form-submit'));
    expect(await screen.findByText('请输入 1 到 20 之间的整数', {}, SLOW)).toBeTruthy();
    expect(log.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.change(screen.getByTestId('intake-min-reviews'), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId('intake-form-submit'));
    await waitFor(() => expect(log.filter((c) => c.method === 'POST')).toHaveLength(1), SLOW);
    expect((log.find((c) => c.method === 'POST')?.body as { min_reviews: number }).min_reviews).toBe(3);
  }, 60000);
});

describe('intake calls page', () => {
  it('lists calls, opens a draft and closes an open call', async () => {
    let calls: IntakeCall[] = [draft, { ...draft, id: 'IC2', title_zh: '秋季招募', status: 'open' }];
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/intake-calls': () => page(calls),
      'POST /api/v1/intake-calls/IC1/open': () => {
        calls = calls.map((c) => (c.id === 'IC1' ? { ...c, status: 'open' } : c));
        return { status: 200, body: calls[0] };
      },
      'POST /api/v1/intake-calls/IC2/close': () => {
        calls = calls.map((c) => (c.id === 'IC2' ? { ...c, status: 'closed' } : c));
        return { status: 200, body: calls[1] };
      },
    });
    renderApp('/carriers/C1/intake');
    const table = await screen.findByTestId('intake-calls-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('2026 冬季招募'), SLOW);
    expect(screen.getByTestId('menu-op-intake').textContent).toBe('招募与申请');
    expect(screen.getByTestId('menu-op-residents')).toBeTruthy();
    expect(screen.getByTestId('menu-op-reports')).toBeTruthy();

    fireEvent.click(screen.getByTestId('intake-call-open'));
    await waitFor(() => expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/intake-calls/IC1/open')).toBe(true), SLOW);
    await waitFor(() => expect(screen.queryByTestId('intake-call-open')).toBeNull(), SLOW);

    const row = within(table).getByText('秋季招募').closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByTestId('intake-call-close'));
    fireEvent.click(await screen.findByTestId('intake-call-close-confirm', {}, SLOW));
    await waitFor(() => expect(log.some((c) => c.method === 'POST' && c.url === '/api/v1/intake-calls/IC2/close')).toBe(true), SLOW);
    await waitFor(() => expect(within(row).getByTestId('intake-call-status').textContent).toBe('已结束'), SLOW);
  }, 60000);

  it('creates a call with typed questions, placing nested field errors on the question', async () => {
    let attempt = 0;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/intake-calls': () => page(attempt > 1 ? [draft] : []),
      'POST /api/v1/carriers/C1/intake-calls': () => {
        attempt++;
        if (attempt === 1) {
          return {
            status: 422,
            body: {
              status: 422,
              detail: '招募信息有误',
              errors: [
                { field: 'questions.0.label_zh', code: 'too_long', message: '问题过长' },
                { field: 'materials.0', code: 'unknown_material', message: '未知的材料类型' },
                { field: 'internal_flag', code: 'invalid', message: '输入不正确' },
              ],
            },
          };
        }
        return { status: 201, body: draft };
      },
    });
    renderApp('/carriers/C1/intake');
    fireEvent.click(await screen.findByTestId('intake-call-create', {}, SLOW));
    fireEvent.change(await screen.findByTestId('intake-title-zh', {}, SLOW), { target: { value: '2026 冬季招募' } });
    fireEvent.change(screen.getByTestId('intake-opens-on'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('intake-closes-on'), { target: { value: '2026-12-31' } });
    fireEvent.click(screen.getByTestId('intake-add-question'));
    // No key is asked of a park admin: a question is named by its text only.
    await screen.findByTestId('intake-q-label-zh-0', {}, SLOW);
    expect(screen.queryByTestId('intake-q-key-0')).toBeNull();
    // A question without its text is refused before anything is sent.
    fireEvent.click(screen.getByTestId('intake-form-submit'));
    expect(await screen.findByText('请填写问题', {}, SLOW)).toBeTruthy();
    expect(log.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.change(screen.getByTestId('intake-q-label-zh-0'), { target: { value: '上年营收' } });
    await pick(screen.getByTestId('intake-q-type-0'), '金额');
    await pick(await screen.findByTestId('intake-q-unit-0', {}, SLOW), '千元');
    fireEvent.click(screen.getByTestId('intake-q-required-0'));
    // A review dimension typed in Chinese.
    const criteria = screen.getByTestId('intake-criteria').querySelector('input') as HTMLInputElement;
    fireEvent.change(criteria, { target: { value: '商业模式' } });
    fireEvent.keyDown(criteria, { key: 'Enter', code: 'Enter', keyCode: 13 });

    fireEvent.click(screen.getByTestId('intake-form-submit'));
    expect(await screen.findByText('问题过长', {}, SLOW)).toBeTruthy();
    expect(screen.getByText('未知的材料类型')).toBeTruthy();
    // The error sits on the question's text, not only in the summary; no key is shown.
    const labelItem = screen.getByTestId('intake-q-label-zh-0').closest('.ant-form-item') as HTMLElement;
    expect(labelItem.textContent).toContain('问题过长');
    const summary = screen.getByTestId('intake-form-error').textContent ?? '';
    expect(summary).toContain('招募信息有误');
    expect(summary).not.toContain('internal_flag');

    fireEvent.click(screen.getByTestId('intake-form-submit'));
    await waitFor(() => expect(screen.queryByTestId('intake-form')).toBeNull(), SLOW);
    const posts = log.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1].body).toEqual({
      title_zh: '2026 冬季招募',
      title_en: '',
      opens_on: '2026-11-01',
      closes_on: '2026-12-31',
      eligibility: '',
      capacity: 10,
      min_reviews: 0,
      materials: [],
      criteria: ['team', 'technology', 'market', 'fit', keyFromLabel('商业模式')],
      questions: [{ key: 'q1', label_zh: '上年营收', label_en: '', type: 'money', required: true, unit: 'thousand_yuan' }],
    });
  }, 60000);

  it('is read-only for a district role', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({
        status: 200,
        body: {
          user: { id: 'U3', email: 'district@lixia.demo', display_name: '区科技局' },
          assignments: [{ role: 'district_admin', domain: 'region:R1', domain_kind: 'region', domain_id: 'R1', name_zh: '历下区', region_id: 'R1' }],
        },
      }),
      'GET /api/v1/carriers/C1': () => ({ status: 200, body: minghu }),
      'GET /api/v1/carriers/C1/intake-calls': () => page([draft]),
    });
    renderApp('/carriers/C1/intake');
    const table = await screen.findByTestId('intake-calls-table', {}, SLOW);
    await waitFor(() => expect(table.textContent).toContain('2026 冬季招募'), SLOW);
    expect(screen.queryByTestId('intake-call-create')).toBeNull();
    expect(screen.queryByTestId('intake-call-open')).toBeNull();
    expect(screen.queryByTestId('intake-call-edit')).toBeNull();
  }, 60000);
});
