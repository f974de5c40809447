import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { AppProviders } from '../../AppProviders';
import { setLanguage } from '../../i18n';
import { fakeApi } from '../../test/fakeApi';
import { founder, milestone } from '../../test/milestones';
import { MilestoneDrawer } from './MilestoneDrawer';

const LONG = { timeout: 20000 };
afterEach(() => {
  cleanup();
  setLanguage('zh-CN');
});

describe('milestone drawer authors', () => {
  it('names me, others by the name the service gives, and an unknown user neutrally, never by id', async () => {
    const at = '2026-03-01T08:00:00Z';
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: founder }),
      'GET /api/v1/milestones/M1': () => ({
        status: 200,
        body: {
          milestone: milestone(),
          updates: [{ id: 'UP1', author_id: 'UF', author_name: 'founder@lixia.demo', at, text: '签订合同', percent: null, figure: null, evidence: [] }],
          history: [
            { at, actor: 'UO', actor_name: '孵化器 周经理', action: 'plan', from: '', to: 'planned', reason: '', detail: {} },
            { at, actor: 'UX-raw-id', actor_name: '', action: 'return', from: 'submitted', to: 'returned', reason: '补充', detail: {} },
          ],
        },
      }),
    });
    render(
      <AppProviders>
        <MemoryRouter>
          <MilestoneDrawer id="M1" onClose={() => {}} onChanged={() => {}} />
        </MemoryRouter>
      </AppProviders>,
    );
    const lines = async () => (await screen.findAllByTestId('milestone-change', {}, LONG)).map((e) => e.textContent ?? '');
    await waitFor(() => expect(screen.getByTestId('milestone-drawer').textContent).toContain('创业者 陈总'), LONG);
    let got = await lines();
    expect(got[0]).toContain('孵化器 周经理');
    expect(got[1]).toContain('其他用户');
    expect(screen.getByTestId('milestone-drawer').textContent).not.toContain('UX-raw-id');
    expect(screen.getByTestId('milestone-drawer').textContent).not.toContain('founder@lixia.demo');
    act(() => setLanguage('en'));
    got = await lines();
    expect(got[1]).toContain('another user');
  }, 30000);
});
