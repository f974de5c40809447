import { Button, Card, Col, Empty, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { canWithdraw, listCompanyApplications } from '../../api/applications';
import { listOpenIntakeCalls, type IntakeCall } from '../../api/intakeCalls';
import type { Company } from '../../api/companies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useI18n, type Lang } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { CompanyShell, useLabel } from './CompanyShell';

export const callTitle = (lang: Lang, c: { title_zh: string; title_en?: string }) =>
  lang === 'en' && c.title_en ? c.title_en : c.title_zh || c.title_en || '';

/** CallsPage lists the open intake calls of the company's region, each with a way to apply. */
export function CallsPage() {
  return <CompanyShell section="calls">{(company) => <CallsList company={company} />}</CompanyShell>;
}

function CallsList({ company }: { company: Company }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const navigate = useNavigate();
  const calls = useAsync((signal) => listOpenIntakeCalls(company.region_id, undefined, signal), [company.region_id]);
  // An application still in progress is continued rather than started again (the server allows one per call).
  const apps = useAsync((signal) => listCompanyApplications(company.id, signal).catch(() => ({ items: [] })), [company.id]);
  const ongoing = new Map((apps.data?.items ?? []).filter((a) => canWithdraw(a.status)).map((a) => [a.call_id, a.id]));

  if (calls.error) return <ErrorAlert error={calls.error} onRetry={calls.reload} />;
  if (calls.loading && !calls.data) return <Spin />;
  const items = calls.data?.items ?? [];
  if (items.length === 0) return <Empty data-testid="calls-empty" description={t('s.calls.empty')} />;

  return (
    <Row gutter={[16, 16]} data-testid="calls-list">
      {items.map((c: IntakeCall) => {
        const appId = ongoing.get(c.id);
        return (
          <Col xs={24} md={12} key={c.id}>
            <Card
              size="small"
              data-testid="call-card"
              data-call-id={c.id}
              title={<span data-testid="call-title">{callTitle(lang, c)}</span>}
              actions={[
                appId ? (
                  <Link key="view" to={`/company/${company.id}/applications/${appId}`} data-testid="call-view-application">
                    {t('s.calls.viewApplication')}
                  </Link>
                ) : (
                  <Button
                    key="apply"
                    type="primary"
                    data-testid="call-apply"
                    onClick={() => navigate(`/company/${company.id}/calls/${c.id}/apply`)}
                  >
                    {t('s.calls.apply')}
                  </Button>
                ),
              ]}
            >
              <Space direction="vertical" size={4} style={{ width: '100%' }}>
                <Typography.Text>{t('s.calls.window', { opens: c.opens_on, closes: c.closes_on })}</Typography.Text>
                <Typography.Text type="secondary">
                  {t('s.calls.capacity', { capacity: c.capacity })} · {t('s.calls.questions', { count: c.questions?.length ?? 0 })}
                </Typography.Text>
                {c.eligibility ? (
                  <Typography.Paragraph style={{ marginBottom: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                    <Typography.Text strong>{t('s.calls.eligibility')}{t('common.colon')}</Typography.Text>
                    {c.eligibility}
                  </Typography.Paragraph>
                ) : null}
                {c.materials?.length ? (
                  <div>
                    <Typography.Text strong>{t('s.calls.materials')}{t('common.colon')}</Typography.Text>
                    {c.materials.map((m) => (
                      <Tag key={m}>{label('s.material', m)}</Tag>
                    ))}
                  </div>
                ) : null}
              </Space>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
