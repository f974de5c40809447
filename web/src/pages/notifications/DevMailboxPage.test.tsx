import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { AppProviders } from '../../AppProviders';
import { fakeApi, parkAdmin, SLOW } from '../../test/fakeApi';
import { DevMailboxPage } from './DevMailboxPage';

function renderPage() {
  return render(
    <AppProviders>
      <MemoryRouter>
        <DevMailboxPage />
      </MemoryRouter>
    </AppProviders>,
  );
}

describe('DevMailboxPage', () => {
  it('lists the kept mail with its recipient, subject and body', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/dev/mailbox': () => ({
        status: 200,
        body: {
          items: [
            {
              id: 'M1',
              notification_id: 'N1',
              to: 'founder@lixia.demo',
              subject: '【孵化链】材料被退回：营业执照 / Material returned: business licence',
              body: '材料被退回：营业执照\n意见：照片不清晰',
              created_at: '2026-12-06T10:00:00Z',
            },
          ],
          total: 1,
          page: 1,
          page_size: 20,
        },
      }),
    });
    renderPage();
    const mail = await screen.findByTestId('dev-mail', {}, SLOW);
    expect(screen.getByTestId('dev-mail-to').textContent).toBe('founder@lixia.demo');
    expect(screen.getByTestId('dev-mail-subject').textContent).toContain('材料被退回：营业执照');
    expect(mail.textContent).toContain('意见：照片不清晰');
  }, 60000);

  it('says so when mail goes out over SMTP (no mailbox)', async () => {
    fakeApi({
      'GET /api/v1/auth/me': () => ({ status: 200, body: parkAdmin }),
      'GET /api/v1/dev/mailbox': () => ({
        status: 404,
        body: { status: 404, slug: 'mailbox-off', detail: '已配置邮件服务器，邮件会实际发出，没有开发邮箱' },
      }),
    });
    renderPage();
    expect(await screen.findByText('已配置邮件服务器，邮件会实际发出，没有开发邮箱', {}, SLOW)).toBeTruthy();
    expect(screen.queryByTestId('dev-mail')).toBeNull();
  }, 60000);
});
