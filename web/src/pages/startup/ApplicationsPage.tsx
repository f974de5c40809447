import { App, Button, Empty, List, Popconfirm, Space, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { canWithdraw, listCompanyApplications, withdrawApplication, type Application } from '../../api/applications';
import type { Company } from '../../api/companies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { formatDateTime } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CodeTag, CompanyShell } from './CompanyShell';

/** ApplicationsPage lists the company's applications with their status and decision reason. */
export function ApplicationsPage() {
  return <CompanyShell section="applications">{(company) => <ApplicationsList company={company} />}</CompanyShell>;
}

function ApplicationsList({ company }: { company: Company }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string>();
  const { data, error, loading, reload } = useAsync((signal) => listCompanyApplications(company.id, signal), [company.id]);

  const withdraw = async (a: Application) => {
    setBusy(a.id);
    try {
      await withdrawApplication(a.id);
      message.success(t('s.apps.withdrawn'));
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(undefined);
    }
  };

  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  const items = data?.items ?? [];
  if (!loading && items.length === 0) return <Empty data-testid="applications-empty" description={t('s.apps.empty')} />;

  return (
    <List<Application>
      data-testid="applications-list"
      loading={loading}
      dataSource={items}
      rowKey="id"
      renderItem={(a) => (
        <List.Item
          data-testid="application-item"
          data-application-id={a.id}
          actions={[
            <Link key="open" to={`/company/${company.id}/applications/${a.id}`} data-testid="application-open">
              {a.status === 'draft' ? t('s.apps.continue') : t('s.common.open')}
            </Link>,
            ...(canWithdraw(a.status)
              ? [
                  <Popconfirm
                    key="withdraw"
                    title={t('s.apps.withdrawConfirm')}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true, 'data-testid': 'application-withdraw-confirm' } as ButtonProps}
                    onConfirm={() => withdraw(a)}
                  >
                    <Button danger size="small" loading={busy === a.id} data-testid="application-withdraw">
                      {t('s.apps.withdraw')}
                    </Button>
                  </Popconfirm>,
                ]
              : []),
          ]}
        >
          <List.Item.Meta
            title={
              <Space wrap size={[8, 4]}>
                <span data-testid="application-call">{a.call_title_zh || a.call_id}</span>
                <CodeTag prefix="s.appStatus" code={a.status} testId="application-status" />
              </Space>
            }
            description={
              <Space direction="vertical" size={2}>
                {a.submitted_at ? (
                  <span>
                    {t('s.apps.submittedAt')}{t('common.colon')}{formatDateTime(a.submitted_at)}
                  </span>
                ) : null}
                {a.decided_at ? (
                  <span>
                    {t('s.apps.decidedAt')}{t('common.colon')}{formatDateTime(a.decided_at)}
                  </span>
                ) : null}
                {a.reason ? (
                  <Typography.Text data-testid="application-reason" type={a.status === 'rejected' ? 'danger' : undefined}>
                    {t('s.apps.reason')}{t('common.colon')}{a.reason}
                  </Typography.Text>
                ) : null}
              </Space>
            }
          />
        </List.Item>
      )}
    />
  );
}
