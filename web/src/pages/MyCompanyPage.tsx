import { PlusOutlined, ShopOutlined } from '@ant-design/icons';
import { App, Button, Card, List, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { acceptCompanyMembership, listMyCompanies, type MyCompany } from '../api/companies';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { CompanyKey, CompanyRoleTag, IndustryText, MembershipTag, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { errorText } from '../lib/formErrors';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

/** registerPath keeps a region named by the registration link (?region=) on the way to the form. */
export function registerPath(region: string | null): string {
  return region ? `/company/new?region=${encodeURIComponent(region)}` : '/company/new';
}

/**
 * MyCompanyPage lists the companies the signed-in user belongs to or is invited
 * to (accepting happens here), and leads to registering a company or team.
 */
export function MyCompanyPage() {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  const [accepting, setAccepting] = useState<string>();

  const { data, error, loading, reload } = useAsync((signal) => listMyCompanies(signal), []);
  // People who left a company no longer see it; the server keeps the history.
  const items = (data?.items ?? []).filter((m) => m.status !== 'left' && m.company);
  const toRegister = registerPath(sp.get('region'));

  const accept = async (m: MyCompany) => {
    setAccepting(m.company.id);
    try {
      await acceptCompanyMembership(m.company.id);
      message.success(t('company.accepted', { name: localizedName(lang, m.company) }));
      reload();
      // Accepting grants the startup member role.
      await refresh();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setAccepting(undefined);
    }
  };

  const registerButton = (
    <Button type="primary" icon={<PlusOutlined />} data-testid="company-register-button" onClick={() => navigate(toRegister)}>
      {t('company.register')}
    </Button>
  );

  return (
    <Card
      title={<Typography.Title level={4} style={{ margin: 0 }}>{t('company.title')}</Typography.Title>}
      extra={items.length > 0 ? registerButton : undefined}
    >
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      {!loading && !error && items.length === 0 ? (
        <div data-testid="company-empty">
          <Result icon={<ShopOutlined />} title={t('company.empty')} subTitle={t('company.emptyHint')} extra={registerButton} />
        </div>
      ) : (
        <List<MyCompany>
          className="company-list"
          data-testid="my-companies"
          loading={loading}
          dataSource={items}
          rowKey={(m) => m.company.id}
          renderItem={(m) => {
            const invited = m.status === 'invited';
            const name = localizedName(lang, m.company);
            return (
              <List.Item
                data-testid="my-company-item"
                actions={[
                  invited ? (
                    <Button
                      key="accept"
                      type="primary"
                      loading={accepting === m.company.id}
                      data-testid="company-accept"
                      onClick={() => accept(m)}
                    >
                      {t('company.accept')}
                    </Button>
                  ) : (
                    <Link key="open" to={`/company/${m.company.id}`} data-testid="my-company-open">
                      {t('company.open')}
                    </Link>
                  ),
                ]}
              >
                <List.Item.Meta
                  avatar={<ShopOutlined style={{ fontSize: 24, color: '#1677ff' }} />}
                  title={
                    <Space wrap size={[8, 4]}>
                      {invited ? (
                        <span data-testid="my-company-name">{name}</span>
                      ) : (
                        <Link to={`/company/${m.company.id}`} data-testid="my-company-name">
                          {name}
                        </Link>
                      )}
                      <CompanyRoleTag role={m.role} />
                      <MembershipTag status={m.status} />
                    </Space>
                  }
                  description={
                    <Space direction="vertical" size={2}>
                      <span>
                        {t('company.key')}{t('common.colon')}<CompanyKey company={m.company} />
                      </span>
                      <span>
                        {t('company.industry')}{t('common.colon')}<IndustryText code={m.company.industry_code} />
                      </span>
                      {invited ? (
                        <Typography.Text type="warning">{t('company.invitedHint', { role: labels.companyRole(m.role) })}</Typography.Text>
                      ) : null}
                    </Space>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
