import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LadderEntry } from '../../api/ladder';
import type { Promotion, Residency } from '../../api/residencies';
import { setLanguage } from '../../i18n';
import { doc, documentTypes } from '../../test/documents';
import { fakeApi, renderApp, SLOW } from '../../test/fakeApi';
import { ladderSummary } from './LadderPage';
import { companyRoutes, page, problem } from './testdata';

const entry = (e: Partial<LadderEntry>): LadderEntry => ({
  id: 'L',
  step: 'startup',
  step_rank: 2,
  certificate_no: '',
  date: '2025-03-18',
  expired: false,
  evidence_document_id: '',
  status: 'claimed',
  recorded_by: 'UF',
  recorded_at: '2026-11-27T00:00:00Z',
  ...e,
});

describe('cultivation ladder', () => {
  it('keeps the latest record of each step', () => {
    const m = ladderSummary([
      entry({ id: 'a', step: 'tech_sme', date: '2025-03-01' }),
      entry({ id: 'b', step: 'tech_sme', date: '2026-03-01' }),
      entry({ id: 'c' }),
    ]);
    expect(m.get('tech_sme')?.id).toBe('b');
    expect(m.get('startup')?.id).toBe('c');
    expect(m.has('high_tech')).toBe(false);
  });

  it('shows each step\'s status and records a step with field errors from the server', async () => {
    let entries = [
      entry({ id: 'L1', status: 'verified' }),
      entry({ id: 'L2', step: 'tech_sme', step_rank: 3, date: '2026-03-01', certificate_no: '2026370102A0001', expiry: '2026-12-31' }),
    ];
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/ladder': () => page(entries),
      'GET /api/v1/companies/K1/documents': () => page([doc({ id: 'D7', company_id: 'K1', type: 'business_licence', filename: '高企证书.pdf' })]),
      'GET /api/v1/regions/R1/document-types': () => ({ status: 200, body: documentTypes }),
      'POST /api/v1/companies/K1/ladder': (c) => {
        const b = c.body as { step: string; certificate_no: string; date: string };
        if (!b.certificate_no) return problem('培育梯次信息有误', [{ field: 'certificate_no', code: 'required', message: '必填' }]);
        const e = entry({ id: 'L3', step: b.step, step_rank: 4, certificate_no: b.certificate_no, date: b.date, expiry: '2029-05-31' });
        entries = [...entries, e];
        return { status: 201, body: e };
      },
    });
    renderApp('/company/K1/ladder');
    await waitFor(() => expect(screen.getByTestId('ladder-step-startup-status').textContent).toBe('已核验'), SLOW);
    expect(screen.getByTestId('ladder-step-tech_sme-status').textContent).toBe('企业自报');
    expect(screen.getByTestId('ladder-step-high_tech-status').textContent).toBe('未达到');
    expect(screen.getByTestId('ladder-table').textContent).toContain('2026370102A0001');

    fireEvent.mouseDown(screen.getByTestId('ladder-step').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('高新技术企业'));
    fireEvent.change(screen.getByTestId('ladder-date'), { target: { value: '2026-06-01' } });
    fireEvent.click(screen.getByTestId('ladder-submit'));

    const msg = await screen.findByText('必填', {}, SLOW);
    expect((msg.closest('.ant-form-item') as HTMLElement).querySelector('[data-testid="ladder-certificate"]')).not.toBeNull();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      step: 'high_tech',
      certificate_no: '',
      date: '2026-06-01',
      expiry: '',
      evidence_document_id: '',
    });

    fireEvent.change(screen.getByTestId('ladder-certificate'), { target: { value: ' GR202637000123 ' } });
    // The evidence is one of the company's documents, chosen by name.
    fireEvent.mouseDown(screen.getByTestId('ladder-evidence').querySelector('.ant-select-selector') as Element);
    fireEvent.click(await screen.findByTitle('营业执照 · 高企证书.pdf · 第1版', {}, SLOW));
    fireEvent.click(screen.getByTestId('ladder-submit'));
    await waitFor(() => expect(screen.getByTestId('ladder-step-high_tech-status').textContent).toBe('企业自报'), SLOW);
    const last = calls.filter((c) => c.method === 'POST').at(-1)?.body as { certificate_no: string; evidence_document_id: string };
    expect(last.certificate_no).toBe('GR202637000123');
    expect(last.evidence_document_id).toBe('D7');
  }, 60000);
});

const residency = (r: Partial<Residency>): Residency => ({
  id: 'RS',
  company_id: 'K1',
  company_name: '济南明湖智能科技有限公司',
  company_key: '91370102MA3C5T2R03',
  industry_code: 'I6511',
  carrier_id: 'C2',
  carrier_name: '历下创客空间',
  carrier_name_en: 'Lixia Maker Space',
  carrier_kind: 'maker_space',
  chain_order: 1,
  region_id: 'R1',
  status: 'in_residence',
  admitted_on: '2025-01-10',
  overstaying: false,
  updated_at: '2026-01-01T00:00:00Z',
  ...r,
});

describe('chain history', () => {
  it('shows the residencies as a timeline and consents to a proposed promotion', async () => {
    let promotion: Promotion = {
      id: 'P1',
      residency_id: 'RS2',
      company_id: 'K1',
      company_name: '济南明湖智能科技有限公司',
      from_carrier_id: 'C3',
      from_carrier_name: '明湖孵化器',
      from_carrier_name_en: 'Minghu Incubator',
      from_kind: 'incubator',
      from_chain_order: 2,
      to_carrier_id: 'C4',
      to_carrier_name: '泉城加速器',
      to_carrier_name_en: 'Quancheng Accelerator',
      to_kind: 'accelerator',
      to_chain_order: 3,
      status: 'proposed',
      note: '营收增长快，建议进入加速器',
      shared: ['profile', 'latest_metrics', 'milestones', 'documents'],
      created_at: '2026-11-20T00:00:00Z',
      updated_at: '2026-11-20T00:00:00Z',
    };
    const calls = fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/chain': () =>
        page([
          residency({
            id: 'RS2',
            carrier_id: 'C3',
            carrier_name: '明湖孵化器',
            carrier_name_en: 'Minghu Incubator',
            carrier_kind: 'incubator',
            chain_order: 2,
            admitted_on: '2025-09-01',
            moved_in_on: '2025-09-10',
            unit: 'B-201',
            term_end_on: '2028-09-10',
          }),
          residency({ id: 'RS1', status: 'graduated', outcome: 'graduated', ended_on: '2025-08-31', reason: '达到毕业条件' }),
        ]),
      'GET /api/v1/residencies/RS2/promotion': () => ({ status: 200, body: promotion }),
      'POST /api/v1/residencies/RS2/promotion/consent': () => {
        promotion = { ...promotion, status: 'consented' };
        return { status: 200, body: promotion };
      },
    });
    renderApp('/company/K1/chain');
    const timeline = await screen.findByTestId('chain-timeline', {}, SLOW);
    const items = within(timeline).getAllByTestId('chain-item');
    // Oldest first: the maker space, then the incubator.
    expect(within(items[0]).getByTestId('chain-carrier').textContent).toBe('历下创客空间');
    expect(within(items[0]).getByTestId('chain-status').textContent).toBe('已毕业');
    expect(items[0].textContent).toContain('达到毕业条件');
    expect(within(items[1]).getByTestId('chain-status').textContent).toBe('在孵');
    expect(items[1].textContent).toContain('B-201');
    // Only open residencies are asked for a promotion.
    expect(calls.some((c) => c.url === '/api/v1/residencies/RS1/promotion')).toBe(false);

    const card = await within(items[1]).findByTestId('promotion-card', {}, SLOW);
    // The consent names the receiving carrier and says in words what it will see.
    expect(within(card).getByTestId('promotion-target').textContent).toBe('所在载体推荐贵企业晋级至「泉城加速器」（加速器）。');
    expect(card.textContent).toContain('营收增长快');
    expect(card.textContent).toContain('同意后，「泉城加速器」将看到以下交接材料：');
    const shared = within(card).getByTestId('promotion-shared').textContent ?? '';
    expect(shared).toContain('企业基本信息：名称、统一社会信用代码');
    expect(shared).toContain('最近一期统计数据');
    expect(shared).toContain('已核验的里程碑');
    expect(shared).toContain('已核验的材料清单：材料类型、文件名、核验时间（不含文件本身）');
    expect(shared).not.toMatch(/latest_metrics|milestones|profile|documents/);
    expect(within(card).getByTestId('promotion-status').textContent).toBe('待企业同意');

    fireEvent.click(within(card).getByTestId('promotion-consent'));
    fireEvent.click(await screen.findByTestId('promotion-consent-confirm', {}, SLOW));
    await waitFor(() => expect(screen.getByTestId('promotion-status').textContent).toBe('已同意，待接收载体确认'), SLOW);
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/residencies/RS2/promotion/consent')).toBe(true);
    expect(screen.queryByTestId('promotion-consent')).toBeNull();
  }, 60000);

  it('tells the company the receiving carrier declined, with its reason, and offers no consent', async () => {
    const declined: Promotion = {
      id: 'P1', residency_id: 'RS2', company_id: 'K1', company_name: '济南明湖智能科技有限公司',
      from_carrier_id: 'C2', from_carrier_name: '历下创客空间', from_carrier_name_en: 'Lixia Maker Space', from_kind: 'maker_space', from_chain_order: 1,
      to_carrier_id: 'C3', to_carrier_name: '明湖孵化器', to_carrier_name_en: 'Minghu Incubator', to_kind: 'incubator', to_chain_order: 2,
      status: 'declined', note: '', shared: ['profile'], decline_reason: '本期场地已满', created_at: '2026-11-20T00:00:00Z', updated_at: '2026-11-22T00:00:00Z',
    };
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/chain': () => page([residency({ id: 'RS2' })]),
      'GET /api/v1/residencies/RS2/promotion': () => ({ status: 200, body: declined }),
    });
    renderApp('/company/K1/chain');
    const card = await screen.findByTestId('promotion-card', {}, SLOW);
    expect(within(card).getByTestId('promotion-status').textContent).toBe('接收载体已婉拒');
    expect(within(card).getByTestId('promotion-declined').textContent).toBe('「明湖孵化器」婉拒了本次晋级，理由：本期场地已满。贵企业仍在原载体在孵。');
    expect(within(card).queryByTestId('promotion-consent')).toBeNull();
  }, 60000);

  it('names the reason codes of ended residencies and shows free-text reasons as written', async () => {
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/chain': () =>
        page([
          residency({ id: 'RS1', status: 'promoted', outcome: 'promoted', admitted_on: '2023-01-10', ended_on: '2024-01-31', reason: 'promoted' }),
          residency({ id: 'RS2', status: 'graduated', outcome: 'graduated', admitted_on: '2024-02-01', ended_on: '2025-08-31', reason: 'financing' }),
          residency({ id: 'RS3', status: 'exited', outcome: 'exited', admitted_on: '2025-09-01', ended_on: '2026-03-01', reason: 'promoted to manager' }),
          // An exit's reason is the carrier's own words, even when it reads like a code.
          residency({ id: 'RS4', status: 'exited', outcome: 'exited', admitted_on: '2026-04-01', ended_on: '2026-05-01', reason: 'financing' }),
        ]),
    });
    renderApp('/company/K1/chain');
    const timeline = await screen.findByTestId('chain-timeline', {}, SLOW);
    const reasons = () => within(timeline).getAllByTestId('chain-reason').map((e) => e.textContent);
    expect(reasons()).toEqual(['说明：晋级至孵化链的下一级载体', '说明：累计获得融资达标', '说明：promoted to manager', '说明：financing']);

    try {
      act(() => setLanguage('en'));
      await waitFor(() => expect(reasons()[0]).toBe('Reason: Promoted to the next carrier on the chain'), SLOW);
      expect(reasons()).toEqual([
        'Reason: Promoted to the next carrier on the chain',
        'Reason: Financing threshold reached',
        'Reason: promoted to manager',
        'Reason: financing',
      ]);
    } finally {
      act(() => setLanguage('zh-CN'));
    }
  }, 60000);

  it('shows a refused consent as an error on the card', async () => {
    fakeApi({
      ...companyRoutes(),
      'GET /api/v1/companies/K1/chain': () => page([residency({ id: 'RS2' })]),
      'GET /api/v1/residencies/RS2/promotion': () => ({
        status: 200,
        body: { id: 'P1', residency_id: 'RS2', status: 'proposed', to_kind: 'incubator', to_chain_order: 2, shared: [], note: '' },
      }),
      'POST /api/v1/residencies/RS2/promotion/consent': () => ({
        status: 403,
        body: { status: 403, detail: '只有企业管理员可以同意晋级' },
      }),
    });
    renderApp('/company/K1/chain');
    fireEvent.click(await screen.findByTestId('promotion-consent', {}, SLOW));
    fireEvent.click(await screen.findByTestId('promotion-consent-confirm', {}, SLOW));
    expect((await screen.findByTestId('promotion-error', {}, SLOW)).textContent).toContain('只有企业管理员可以同意晋级');
  }, 60000);
});
