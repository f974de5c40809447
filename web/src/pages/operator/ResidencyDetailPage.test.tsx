import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Residency } from '../../api/residencies';
import { setLanguage } from '../../i18n';
import { fakeApi, parkAdmin, renderApp, SLOW } from '../../test/fakeApi';

const page = <T,>(items: T[]) => ({ status: 200, body: { items, total: items.length, page: 1, page_size: 20 } });

// A residency at the park admin's own carrier (C1), admitted, not yet moved in.
const res: Residency = {
  id: 'RS1', status: 'admitted', admitted_on: '2026-11-20', application_id: 'A1', overstaying: false, updated_at: '2026-11-20T00:00:00Z',
  company_id: 'K1', company_name: '济南泉源生物科技有限公司', company_key: '91110000802100433B', industry_code: 'C2761', region_id: 'R1',
  carrier_id: 'C1', carrier_name: '明湖国际信创产业园', carrier_name_en: 'Minghu International Xinchuang Industrial Park', carrier_kind: 'science_park', chain_order: 4,
};

function serve(r: Residency) {
  fakeApi({
    'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
    'GET /api/v1/residencies/RS1': () => ({ status: 200, body: r }),
    'GET /api/v1/residencies/RS1/promotion': () => ({ status: 404, body: { status: 404 } }),
    'GET /api/v1/residencies/RS1/promotion/targets': () => page([]),
    'GET /api/v1/companies/K1/chain': () => page([r]),
  });
  renderApp('/residencies/RS1');
}

const concurrent: Residency['concurrent'] = [
  { carrier_id: 'C2', carrier_name: '历下科技企业孵化器', carrier_name_en: 'Lixia Incubator', status: 'in_residence', since: '2026-03-02' },
];

describe('residency page: a company resident at two carriers at once', () => {
  it('warns that the district counts it once, naming the other carrier and since when', async () => {
    serve({ ...res, concurrent });
    const alert = await screen.findByTestId('residency-concurrent', {}, SLOW);
    expect(alert.textContent).toBe('该企业同时在「历下科技企业孵化器」在孵（自 2026-03-02），区域统计中只计一次');
    expect(alert.textContent).not.toContain('C2');
  }, 60000);

  it('says it in English with the English name', async () => {
    setLanguage('en');
    try {
      serve({ ...res, concurrent });
      const alert = await screen.findByTestId('residency-concurrent', {}, SLOW);
      expect(alert.textContent).toBe('This company is also resident at Lixia Incubator (since 2026-03-02); the district counts it only once.');
    } finally {
      setLanguage('zh-CN');
    }
  }, 60000);

  it('shows nothing when the company is open nowhere else (or the reader may not know)', async () => {
    serve(res);
    await screen.findByTestId('residency-descriptions', {}, SLOW);
    await waitFor(() => expect(screen.getByTestId('residency-title').textContent).toBe('济南泉源生物科技有限公司'), SLOW);
    expect(screen.queryByTestId('residency-concurrent')).toBeNull();
  }, 60000);
});
