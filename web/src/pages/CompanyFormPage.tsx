import { Alert, App, Button, Card, Col, Divider, Form, Grid, Input, Row, Select, Skeleton, Space, Typography, type FormInstance } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { getCompany, listMyCompanies, registerCompany, updateCompany, FOUNDER_GENDERS, FOUNDER_TYPES, type Company, type CompanyInput, type CompanyRegistration } from '../api/companies';
import { listRegions } from '../api/regions';
import { useSession } from '../auth/session';
import { LoadFailure } from '../components/ErrorAlert';
import { useLabels } from '../components/Tags';
import { useI18n, type Lang, type TFunc } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { isIndustryCode, normalizeIndustry } from '../lib/industry';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

/** What the form holds: the API fields, plus the region (part of the URL, not the body). */
export interface CompanyFormValues {
  region?: string;
  uscc?: string;
  name_zh?: string;
  name_en?: string;
  industry_code?: string;
  tech_field?: string;
  founded_on?: string;
  founder_type?: string;
  founder_gender?: string;
  contact_name?: string;
  contact_phone?: string;
  contact_email?: string;
}

/** The fields the API takes; field errors for them land on their form items. */
export const COMPANY_FIELDS = [
  'name_zh',
  'name_en',
  'industry_code',
  'tech_field',
  'founded_on',
  'founder_type',
  'founder_gender',
  'contact_name',
  'contact_phone',
  'contact_email',
] as const satisfies readonly (keyof CompanyInput)[];

const REGISTER_FORM_FIELDS = ['region', 'uscc', ...COMPANY_FIELDS] as const;

const trim = (v: string | undefined) => (v ?? '').trim();

/** toCompanyInput builds the PUT body: every editable field, empty ones as "" (PUT replaces). */
export function toCompanyInput(v: CompanyFormValues): CompanyInput {
  return {
    name_zh: trim(v.name_zh),
    name_en: trim(v.name_en),
    industry_code: normalizeIndustry(v.industry_code),
    tech_field: trim(v.tech_field),
    founded_on: trim(v.founded_on),
    founder_type: v.founder_type ?? '',
    founder_gender: v.founder_gender ?? '',
    contact_name: trim(v.contact_name),
    contact_phone: trim(v.contact_phone),
    contact_email: trim(v.contact_email).toLowerCase(),
  };
}

/**
 * toRegistration builds the POST body: only what was filled in. Without a USCC
 * the server registers a team and gives it a provisional id.
 */
export function toRegistration(v: CompanyFormValues): CompanyRegistration {
  const all: Record<string, string | null | undefined> = { ...toCompanyInput(v), uscc: trim(v.uscc).toUpperCase() };
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(all)) if (typeof val === 'string' && val !== '') out[k] = val;
  return out as unknown as CompanyRegistration;
}

export function fromCompany(c: Company): CompanyFormValues {
  return {
    name_zh: c.name_zh,
    name_en: c.name_en,
    industry_code: c.industry_code,
    tech_field: c.tech_field,
    founded_on: c.founded_on || undefined,
    founder_type: c.founder_type || undefined,
    founder_gender: c.founder_gender || undefined,
    contact_name: c.contact_name,
    contact_phone: c.contact_phone,
    contact_email: c.contact_email,
  };
}

export interface RegionChoice {
  value: string;
  label: string;
}

/**
 * regionChoices lists where a company may be registered: the regions the user
 * may see (staff), the regions of their existing companies (a startup user sees
 * no regions), and a region named by the registration link (?region=).
 */
export function regionChoices(
  lang: Lang,
  t: TFunc,
  regions: readonly { id: string; name_zh: string; name_en: string }[],
  companies: readonly Company[],
  fromLink?: string | null,
): RegionChoice[] {
  const out: RegionChoice[] = [];
  const seen = new Set<string>();
  const add = (value: string, label: string) => {
    if (!value || seen.has(value)) return;
    seen.add(value);
    out.push({ value, label });
  };
  for (const r of regions) add(r.id, localizedName(lang, r) || r.id);
  for (const c of companies) add(c.region_id, t('companyForm.regionOfCompany', { name: localizedName(lang, c) }));
  if (fromLink) add(fromLink, t('companyForm.regionFromLink'));
  return out;
}

const today = () => new Date().toISOString().slice(0, 10);

/** CompanyFormPage registers a company or team (mode create) or edits one (mode edit). */
export function CompanyFormPage({ mode }: { mode: 'create' | 'edit' }) {
  const { companyId = '' } = useParams();
  const [sp] = useSearchParams();
  const regionParam = sp.get('region');
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const { regionId: sessionRegion, refresh } = useSession();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [form] = Form.useForm<CompanyFormValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);

  const existing = useAsync(
    async (signal) => (mode === 'edit' ? getCompany(companyId, signal) : undefined),
    [mode, companyId],
  );

  // Only registering needs a region; lookups that fail just offer fewer choices.
  const sources = useAsync(async (signal) => {
    if (mode !== 'create') return { regions: [], companies: [] };
    const [regions, mine] = await Promise.all([
      listRegions({ page_size: 100 }).catch(() => ({ items: [] })),
      listMyCompanies(signal).catch(() => ({ items: [] })),
    ]);
    return {
      regions: regions.items,
      companies: mine.items.filter((m) => m.status !== 'left' && m.company).map((m) => m.company),
    };
  }, [mode]);

  const choices = useMemo(
    () => regionChoices(lang, t, sources.data?.regions ?? [], sources.data?.companies ?? [], regionParam),
    [lang, t, sources.data, regionParam],
  );
  const defaultRegion =
    (regionParam && choices.some((c) => c.value === regionParam) && regionParam) ||
    (sessionRegion && choices.some((c) => c.value === sessionRegion) && sessionRegion) ||
    choices[0]?.value;

  useEffect(() => {
    if (mode === 'create' && defaultRegion && !form.getFieldValue('region')) form.setFieldValue('region', defaultRegion);
  }, [mode, defaultRegion, form]);

  useEffect(() => {
    if (existing.data) form.setFieldsValue(fromCompany(existing.data));
  }, [existing.data, form]);

  const onFinish = async (v: CompanyFormValues) => {
    setSaving(true);
    setFormError([]);
    try {
      if (mode === 'create') {
        const regionId = v.region || defaultRegion || '';
        const saved = await registerCompany(regionId, toRegistration(v));
        if (saved?.uscc) message.success(t('companyForm.registered', { name: localizedName(lang, saved) }));
        else message.success(t('companyForm.registeredTeam', { key: saved?.provisional_id || saved?.key || '' }));
        // Registering makes the user a company admin, a new role: reload it for the menu.
        await refresh();
        navigate(saved?.id ? `/company/${saved.id}` : '/company');
      } else {
        await updateCompany(companyId, toCompanyInput(v));
        message.success(t('companyForm.saved'));
        navigate(`/company/${companyId}`);
      }
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, REGISTER_FORM_FIELDS, t);
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : [t('companyForm.fixErrors'), ...unplaced]);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  if (mode === 'edit' && existing.error) return <LoadFailure error={existing.error} onRetry={existing.reload} />;
  if (mode === 'edit' && !existing.data) return <Card><Skeleton active /></Card>;
  if (mode === 'create' && sources.loading && !sources.data) return <Card><Skeleton active /></Card>;

  const noRegion = mode === 'create' && choices.length === 0;
  const title =
    mode === 'create'
      ? t('companyForm.registerTitle')
      : t('companyForm.editTitle', { name: localizedName(lang, existing.data) });
  const half = { xs: 24, md: 12 };

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0, whiteSpace: 'normal' }}>{title}</Typography.Title>}>
      {noRegion && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('companyForm.noRegion')} data-testid="company-register-no-region" />
      )}
      {formError.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="company-register-error"
          style={{ marginBottom: 16 }}
          message={formError[0]}
          description={formError.length > 1 ? formError.slice(1).map((l) => <div key={l}>{l}</div>) : undefined}
        />
      )}
      <Form<CompanyFormValues>
        form={form}
        layout="vertical"
        className="company-form"
        onFinish={onFinish}
        disabled={saving || noRegion}
        data-testid="company-register-form"
        scrollToFirstError
      >
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('companyForm.sectionBasic')}
        </Divider>
        {mode === 'create' && (
          <>
            <Form.Item name="region" label={t('companyForm.region')} rules={[{ required: true, message: t('companyForm.regionRequired') }]}>
              <Select options={choices} disabled={choices.length <= 1} data-testid="company-register-region" />
            </Form.Item>
            <Form.Item
              name="uscc"
              label={t('company.uscc')}
              extra={t('companyForm.usccHint')}
              normalize={(v?: string) => (v ?? '').toUpperCase()}
            >
              <Input data-testid="company-uscc" autoComplete="off" spellCheck={false} className="mono" />
            </Form.Item>
          </>
        )}
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="name_zh"
              label={t('company.nameZh')}
              rules={[
                { required: true, whitespace: true, message: t('companyForm.nameRequired') },
                { max: 100, message: t('validation.too_long', { max: 100 }) },
              ]}
            >
              <Input data-testid="company-register-name-zh" autoComplete="organization" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="name_en" label={t('company.nameEn')} rules={[{ max: 200, message: t('validation.too_long', { max: 200 }) }]}>
              <Input data-testid="company-register-name-en" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="industry_code"
              label={t('company.industry')}
              extra={<IndustryHint form={form} />}
              normalize={(v?: string) => (v ?? '').toUpperCase()}
              rules={[
                { required: true, whitespace: true, message: t('companyForm.industryRequired') },
                {
                  validator: (_, v?: string) =>
                    !v || isIndustryCode(v) ? Promise.resolve() : Promise.reject(new Error(t('companyForm.industryInvalid'))),
                },
              ]}
            >
              <Input data-testid="company-register-industry" autoComplete="off" spellCheck={false} className="mono" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="tech_field" label={t('company.techField')} rules={[{ max: 100, message: t('validation.too_long', { max: 100 }) }]}>
              <Input data-testid="company-register-tech-field" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="founded_on" label={t('company.foundedOn')}>
              {/* A native date input: phones show their own date picker, the value is YYYY-MM-DD. */}
              <Input type="date" max={today()} data-testid="company-register-founded-on" />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain>
          {t('companyForm.sectionFounder')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="founder_type" label={t('company.founderType')}>
              <Select
                allowClear
                placeholder={t('companyForm.choose')}
                options={FOUNDER_TYPES.map((f) => ({ value: f, label: labels.founderType(f) }))}
                data-testid="company-register-founder-type"
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="founder_gender" label={t('company.founderGender')}>
              <Select
                allowClear
                placeholder={t('companyForm.choose')}
                options={FOUNDER_GENDERS.map((g) => ({ value: g, label: labels.gender(g) }))}
                data-testid="company-register-founder-gender"
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left" plain>
          {t('companyForm.sectionContact')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="contact_name" label={t('company.contactName')} rules={[{ max: 50, message: t('validation.too_long', { max: 50 }) }]}>
              <Input data-testid="company-register-contact-name" autoComplete="name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="contact_phone" label={t('company.contactPhone')}>
              <Input data-testid="company-register-contact-phone" type="tel" inputMode="tel" autoComplete="tel" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="contact_email" label={t('company.contactEmail')} rules={[{ type: 'email', message: t('login.emailInvalid') }]}>
              <Input data-testid="company-register-contact-email" type="email" inputMode="email" autoComplete="email" />
            </Form.Item>
          </Col>
        </Row>
        <Space direction={narrow ? 'vertical' : 'horizontal'} style={narrow ? { width: '100%' } : undefined}>
          <Button type="primary" htmlType="submit" loading={saving} block={narrow} data-testid="company-register-submit">
            {mode === 'create' ? t('companyForm.submit') : t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)} disabled={false} block={narrow} data-testid="company-register-cancel">
            {t('common.cancel')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

/** IndustryHint repeats the code format and names the section of what was typed. */
function IndustryHint({ form }: { form: FormInstance<CompanyFormValues> }) {
  const { t } = useI18n();
  const labels = useLabels();
  const code = Form.useWatch('industry_code', form);
  const section = code && isIndustryCode(code) ? labels.industry(code) : '';
  return (
    <span>
      {t('companyForm.industryHint')}
      {section ? <span data-testid="company-register-industry-section">{` · ${section}`}</span> : null}
    </span>
  );
}
