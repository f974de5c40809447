import { Alert, Card, Empty, List, Pagination, Typography } from 'antd';
import { useState } from 'react';
import { listDevMailbox } from '../../api/notifications';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';

const PAGE_SIZE = 20;

/**
 * DevMailboxPage shows the notification e-mail kept when no SMTP server is
 * configured (the embedded default), newest first. Only platform admins may
 * read it; with SMTP on, the service answers that there is no mailbox.
 */
export function DevMailboxPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useAsync((signal) => listDevMailbox({ page, page_size: PAGE_SIZE }, signal), [page]);
  return (
    <Card title={t('notif.mailbox')} data-testid="dev-mailbox">
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('notif.mailboxHint')} />
      {error ? (
        // The service's own words: no mailbox while SMTP is on, or platform admins only.
        <ErrorAlert error={error} onRetry={reload} />
      ) : (
        <>
          <List
            loading={loading}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <Empty description={t('notif.mailboxEmpty')} /> }}
            renderItem={(m) => (
              <List.Item key={m.id} data-testid="dev-mail">
                <List.Item.Meta
                  title={<span data-testid="dev-mail-subject">{m.subject}</span>}
                  description={
                    <>
                      <div>
                        {t('notif.mailTo')}：<span data-testid="dev-mail-to">{m.to}</span> ·{' '}
                        {new Date(m.created_at).toLocaleString(lang)}
                      </div>
                      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginTop: 8, marginBottom: 0 }}>
                        {m.body}
                      </Typography.Paragraph>
                    </>
                  }
                />
              </List.Item>
            )}
          />
          {(data?.total ?? 0) > PAGE_SIZE ? (
            <Pagination style={{ marginTop: 12 }} current={page} pageSize={PAGE_SIZE} total={data?.total ?? 0} onChange={setPage} simple />
          ) : null}
        </>
      )}
    </Card>
  );
}
