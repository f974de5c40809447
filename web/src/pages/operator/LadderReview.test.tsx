import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LadderEntry } from '../../api/ladder';
import type { Residency } from '../../api/residencies';
import { fakeApi, parkAdmin, renderApp, SLOW } from '../../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });

const res: Residency = {
  id: 'RS1', company_id: 'K1', company_name: '济南明湖智能科技有限公司', company_key: '91370102MA3C5T2R03', industry_code: 'I6511',
  carrier_id: 'C1', carrier_name: '明湖国际信创产业园', carrier_name_en: '', carrier_kind: 'science_park', chain_order: 4, region_id: 'R1',
  status: 'in_residence', admitted_on: '2026-01-10', moved_in_on: '2026-01-15', overstaying: false, updated_at: '2026-01-15T00:00:00Z',
};
const claimed: LadderEntry = {
  id: 'L1', step: 'tech_sme', step_rank: 3, date: '2026-05-01', certificate_no: '202637010200123', status: 'claimed', expired: false,
  evidence_document_id: '', recorded_at: '2026-05-02T00:00:00Z', recorded_by: 'U9',
};

describe('ladder review on the residency page', () => {
  it('rejects a claimed step only with a reason, mapping the server\'s field error, then shows the reason', async () => {
    let entry: LadderEntry = claimed;
    let attempt = 0;
    const log = fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/residencies/RS1': () => ({ status: 200, body: res }),
      'GET /api/v1/residencies/RS1/promotion': () => ({ status: 404, body: { status: 404 } }),
      'GET /api/v1/companies/K1/chain': () => page([res]),
      'GET /api/v1/companies/K1/ladder': () => page([entry]),
      'POST /api/v1/companies/K1/ladder/tech_sme/reject': (c) => {
        attempt++;
        if (attempt === 1) {
          return { status: 422, body: { status: 422, detail: '培育梯次有误', errors: [{ field: 'reason', code: 'too_long', message: '不能超过 2000 个字符' }] } };
        }
        entry = { ...entry, status: 'rejected', reject_reason: (c.body as { reason: string }).reason };
        return { status: 200, body: entry };
      },
    });
    renderApp('/residencies/RS1');
    const card = await screen.findByTestId('ladder-review', {}, SLOW);
    await waitFor(() => expect(within(card).getByTestId('ladder-review-status-tech_sme').textContent).toBe('企业自报'), SLOW);
    fireEvent.click(within(card).getByTestId('ladder-reject-tech_sme'));
    // Without a reason nothing is sent.
    fireEvent.click(await screen.findByTestId('ladder-reject-submit', {}, SLOW));
    expect(await screen.findByText('请填写驳回理由', {}, SLOW)).toBeTruthy();
    fireEvent.change(screen.getByTestId('ladder-reject-reason'), { target: { value: '理'.repeat(2001) } });
    fireEvent.click(screen.getByTestId('ladder-reject-submit'));
    expect(await screen.findByText('理由不能超过 2000 字', {}, SLOW)).toBeTruthy();
    expect(log.filter((c) => c.method === 'POST')).toHaveLength(0);
    // The server's field error lands on the reason.
    fireEvent.change(screen.getByTestId('ladder-reject-reason'), { target: { value: '证书编号与公示名单不符' } });
    fireEvent.click(screen.getByTestId('ladder-reject-submit'));
    expect(await screen.findByText('不能超过 2000 个字符', {}, SLOW)).toBeTruthy();
    fireEvent.click(screen.getByTestId('ladder-reject-submit'));
    await waitFor(() => expect(within(card).getByTestId('ladder-review-status-tech_sme').textContent).toBe('已驳回'), SLOW);
    expect(log.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ reason: '证书编号与公示名单不符' });
    expect(card.textContent).toContain('驳回理由：证书编号与公示名单不符');
    expect(within(card).queryByTestId('ladder-reject-tech_sme')).toBeNull();
  }, 60000);
});
