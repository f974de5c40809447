import { EditOutlined, LinkOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Form, Input, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { getCompany, linkCompanyUSCC, listMyCompanies, type Company, type MyCompany } from '../api/companies';
import { staffRegionId } from '../auth/roles';
import { useSession } from '../auth/session';
import { CompanyCarriers } from '../components/CompanyCarriers';
import { CompanyDocuments } from '../components/CompanyDocuments';
import { LoadFailure } from '../components/ErrorAlert';
import { CompanyKey, CompanyRoleTag, IndustryText, useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { formatDateTime, localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { CompanyMembers } from './CompanyMembers';

/**
 * CompanyDetailPage shows one company. As "mine" (/company/:id) a company admin
 * edits it, links a team's USCC and manages members; as "region"
 * (/companies/:id, district and park staff) it is read-only. Beside the
 * members, a 资料 (documents) tab lists the company's documents and their
 * versions; the company's own members upload there.
 */
export function CompanyDetailPage({ mode }: { mode: 'mine' | 'region' }) {
  const { companyId = '' } = useParams();
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { me, regionId } = useSession();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') === 'documents' ? 'documents' : 'members';

  const { data, error, loading, reload } = useAsync(
    async (signal) => {
      const [company, mine] = await Promise.all([
        getCompany(companyId, signal),
        mode === 'mine' ? listMyCompanies(signal).catch(() => undefined) : Promise.resolve(undefined),
      ]);
      const membership: MyCompany | undefined = mine?.items.find((m) => m.company?.id === companyId);
      return { company, membership };
    },
    [companyId, mode],
  );

  if (error) return <LoadFailure error={error} onRetry={reload} />;
  if (loading && !data) return <Card><Skeleton active /></Card>;
  if (!data) return null;

  const { company, membership } = data;
  const isAdmin = mode === 'mine' && membership?.role === 'company_admin' && membership.status === 'active';
  const name = localizedName(lang, company);
  const listPath =
    mode === 'mine'
      ? '/company'
      : `/regions/${company.region_id || staffRegionId(me?.assignments ?? [], regionId) || ''}/companies`;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to={listPath}>{mode === 'mine' ? t('company.title') : t('companies.title')}</Link> },
          { title: name },
        ]}
      />
      <Card
        title={
          <Space wrap size={[8, 4]}>
            <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'normal' }} data-testid="company-title">
              {name}
            </Typography.Title>
            {membership ? <CompanyRoleTag role={membership.role} /> : null}
          </Space>
        }
        extra={
          isAdmin ? (
            <Button icon={<EditOutlined />} data-testid="company-edit" onClick={() => navigate(`/company/${company.id}/edit`)}>
              {t('common.edit')}
            </Button>
          ) : undefined
        }
      >
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
          data-testid="company-descriptions"
        >
          <Descriptions.Item label={t('company.nameZh')}>{company.name_zh}</Descriptions.Item>
          <Descriptions.Item label={t('company.nameEn')}>{company.name_en || '—'}</Descriptions.Item>
          <Descriptions.Item label={company.uscc ? t('company.uscc') : t('company.provisionalId')}>
            <span data-testid="company-key">
              <CompanyKey company={company} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('company.industry')}>
            <IndustryText code={company.industry_code} />
          </Descriptions.Item>
          <Descriptions.Item label={t('company.techField')}>{company.tech_field || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('company.foundedOn')}>{company.founded_on || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('company.founderType')}>
            {company.founder_type ? labels.founderType(company.founder_type) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('company.founderGender')}>
            {company.founder_gender ? labels.gender(company.founder_gender) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('company.contactName')}>{company.contact_name || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('company.contactPhone')}>
            {company.contact_phone ? <a href={`tel:${company.contact_phone.replace(/\s/g, '')}`}>{company.contact_phone}</a> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('company.contactEmail')}>
            {company.contact_email ? <a href={`mailto:${company.contact_email}`}>{company.contact_email}</a> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('company.createdAt')}>{formatDateTime(company.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('company.updatedAt')}>{formatDateTime(company.updated_at)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {isAdmin && !company.uscc ? <LinkUsccCard company={company} onLinked={reload} /> : null}
      {mode === 'region' ? <CompanyCarriers companyId={company.id} /> : null}
      <Card
        data-testid="company-tabs"
        activeTabKey={tab}
        onTabChange={(k) => {
          const next = new URLSearchParams(sp);
          if (k === 'documents') next.set('tab', 'documents');
          else next.delete('tab');
          setSp(next, { replace: true });
        }}
        tabList={[
          { key: 'members', label: <span data-testid="company-tab-members">{t('companyMembers.title')}</span> },
          { key: 'documents', label: <span data-testid="company-tab-documents">{t('d.list.title')}</span> },
        ]}
      >
        {tab === 'members' ? (
          <CompanyMembers
            company={company}
            canManage={isAdmin}
            canLeave={mode === 'mine' && !!membership && membership.status === 'active'}
            onLeft={() => navigate('/company')}
          />
        ) : (
          <CompanyDocuments
            companyId={company.id}
            regionId={company.region_id}
            canUpload={mode === 'mine' && !!membership && membership.status === 'active'}
          />
        )}
      </Card>
    </Space>
  );
}

/** LinkUsccCard lets a team's admin link the team to its registered code. */
function LinkUsccCard({ company, onLinked }: { company: Company; onLinked: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ uscc: string }>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);

  useEffect(() => {
    form.resetFields();
  }, [company.id, form]);

  const onFinish = async ({ uscc }: { uscc: string }) => {
    setSaving(true);
    setFormError([]);
    try {
      const linked = await linkCompanyUSCC(company.id, uscc.trim().toUpperCase());
      message.success(t('companyUscc.linked', { uscc: linked?.uscc || uscc.trim().toUpperCase() }));
      onLinked();
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, ['uscc'], t);
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : unplaced);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={<Space><LinkOutlined />{t('companyUscc.title')}</Space>} data-testid="company-link-uscc">
      <Typography.Paragraph type="secondary">{t('companyUscc.hint')}</Typography.Paragraph>
      {formError.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={formError.map((l) => <div key={l}>{l}</div>)} />
      )}
      <Form form={form} layout="vertical" onFinish={onFinish} disabled={saving} style={{ maxWidth: 480 }}>
        <Form.Item
          name="uscc"
          label={t('company.uscc')}
          normalize={(v?: string) => (v ?? '').toUpperCase()}
          rules={[{ required: true, whitespace: true, message: t('companyUscc.required') }]}
        >
          <Input data-testid="company-link-uscc-input" autoComplete="off" spellCheck={false} className="mono" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="company-link-uscc-submit">
          {t('companyUscc.submit')}
        </Button>
      </Form>
    </Card>
  );
}
