import { Alert, App, Button, Descriptions, Form, Input, InputNumber, Popconfirm, Select, Space, Spin, Steps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { ButtonProps } from 'antd';
import { ApiError } from '../../api/client';
import { listMyCompanies } from '../../api/endpoints';
import {
  canWithdraw,
  getApplication,
  getIntakeCall,
  startApplication,
  submitApplication,
  updateApplication,
  withdrawApplication,
  type Answer,
  type Application,
  type IntakeCall,
  type Question,
} from '../../api/startup';
import type { Company } from '../../api/types';
import { LoadFailure } from '../../components/ErrorAlert';
import { useI18n, type Lang } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { callTitle } from './CallsPage';
import { CodeTag, CompanyShell, useLabel } from './CompanyShell';
import { fromAnswers, groupFieldErrors, toAnswers, type AnswerValue } from './lib';

interface WizardValues {
  company_id?: string;
  answers?: Record<string, AnswerValue>;
}

const questionLabel = (lang: Lang, q: Question) => (lang === 'en' && q.label_en ? q.label_en : q.label_zh || q.key);

/**
 * ApplicationWizardPage starts an application to an intake call (mode "new",
 * /company/:companyId/calls/:callId/apply) or continues one (mode "existing",
 * /company/:companyId/applications/:applicationId): pick the company, answer
 * the call's typed questions, save a draft, submit. Once submitted it shows
 * the application read-only, with its status, the decision's reason and a
 * way to withdraw.
 */
export function ApplicationWizardPage({ mode }: { mode: 'new' | 'existing' }) {
  return (
    <CompanyShell section={mode === 'new' ? 'calls' : 'applications'}>{(company) => <Wizard mode={mode} company={company} />}</CompanyShell>
  );
}

function Wizard({ mode, company }: { mode: 'new' | 'existing'; company: Company }) {
  const { callId = '', applicationId = '' } = useParams();
  const loaded = useAsync(
    async (signal) => {
      if (mode === 'new') return { call: await getIntakeCall(callId, signal), app: undefined as Application | undefined };
      const app = await getApplication(applicationId, signal);
      return { call: await getIntakeCall(app.call_id, signal), app };
    },
    [mode, callId, applicationId],
  );
  if (loaded.error) return <LoadFailure error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Spin />;
  const { call, app } = loaded.data;
  if (app && app.status !== 'draft') return <ApplicationView company={company} call={call} app={app} onChange={loaded.reload} />;
  return <WizardForm key={app?.id ?? 'new'} company={company} call={call} app={app} />;
}

/** QuestionInput is the control of one question; Form.Item hands it value and onChange. */
function QuestionInput({ q, value, onChange }: { q: Question; value?: AnswerValue; onChange?: (v: AnswerValue) => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const testId = `answer-${q.key}`;
  const text = { value: (value ?? '') as string, onChange: (e: { target: { value: string } }) => onChange?.(e.target.value) };
  const num = { value: (value ?? null) as number | null, onChange: (v: number | string | null) => onChange?.(v as AnswerValue) };
  switch (q.type) {
    case 'text':
      return <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} data-testid={testId} {...text} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} data-testid={testId} {...num} />;
    case 'money':
      // The unit is the call's, stated next to the amount.
      return (
        <Space.Compact style={{ width: '100%' }}>
          <InputNumber style={{ width: '100%' }} precision={0} min={0} data-testid={testId} {...num} />
          <Space.Addon>
            <span data-testid={`${testId}-unit`}>{label('s.unit', q.unit ?? '')}</span>
          </Space.Addon>
        </Space.Compact>
      );
    case 'date':
      return <Input type="date" data-testid={testId} {...text} />;
    case 'choice':
      return (
        <Select
          allowClear
          data-testid={testId}
          placeholder={t('s.wizard.choose')}
          options={(q.options ?? []).map((o) => ({ value: o, label: o }))}
          value={(value ?? undefined) as string | undefined}
          onChange={(v: string | undefined) => onChange?.(v ?? null)}
        />
      );
    case 'file':
      return <Input data-testid={testId} placeholder={t('s.wizard.docIdPlaceholder')} maxLength={64} {...text} />;
    default:
      return <Input data-testid={testId} {...text} />;
  }
}

function questionExtra(q: Question, t: ReturnType<typeof useI18n>['t'], label: ReturnType<typeof useLabel>): string | undefined {
  if (q.type === 'money') return t('s.wizard.unitFixed', { unit: label('s.unit', q.unit ?? '') });
  if (q.type === 'file') return t('s.wizard.docIdHint');
  return undefined;
}

/** answerText shows an answer in the summary: money with its unit, blank ones marked. */
function useAnswerText() {
  const { t } = useI18n();
  const label = useLabel();
  return (a: Answer | undefined) => {
    if (a === undefined || a === null || a === '') return t('s.wizard.unanswered');
    if (typeof a === 'object') return `${a.amount.toLocaleString()} ${label('s.unit', a.unit)}`;
    return String(a);
  };
}

function WizardForm({ company, call, app }: { company: Company; call: IntakeCall; app?: Application }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const answerText = useAnswerText();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm();
  const initialStep = (location.state as { step?: number } | null)?.step ?? (app ? 1 : 0);
  const [step, setStep] = useState(initialStep);
  const [appId, setAppId] = useState(app?.id);
  const [busy, setBusy] = useState<'draft' | 'submit'>();
  const [formError, setFormError] = useState<string>();
  const questions = useMemo(() => call.questions ?? [], [call]);

  const mine = useAsync((signal) => listMyCompanies(signal).catch(() => ({ items: [] })), []);
  const companyOptions = useMemo(() => {
    const opts = (mine.data?.items ?? [])
      .filter((m) => m.status === 'active' && m.company)
      .map((m) => ({ value: m.company.id, label: localizedName(lang, m.company) }));
    if (!opts.some((o) => o.value === company.id)) opts.unshift({ value: company.id, label: localizedName(lang, company) });
    return opts;
  }, [mine.data, company, lang]);

  useEffect(() => {
    form.setFieldsValue({ company_id: app?.company_id ?? company.id, answers: fromAnswers(questions, app?.answers) });
  }, [form, app, company.id, questions]);

  const clearErrors = () => {
    setFormError(undefined);
    form.setFields(form.getFieldsError().filter((f) => f.errors.length > 0).map((f) => ({ name: f.name, errors: [] })));
  };

  /** showProblem puts "answers.<key>" errors on their questions and opens the step that holds them. */
  const showProblem = (e: unknown) => {
    if (!(e instanceof ApiError) || e.fields.length === 0) {
      setFormError(errorText(e, t));
      return;
    }
    const g = groupFieldErrors(e, ['answers'], t);
    const answers = g.byPrefix.answers ?? {};
    const known = new Set(questions.map((q) => q.key));
    const placed = Object.entries(answers).filter(([k]) => known.has(k));
    const unplaced = [
      ...Object.entries(answers).filter(([k]) => !known.has(k)).map(([k, m]) => `${k}: ${m.join('; ')}`),
      ...Object.entries(g.fields).filter(([k]) => k !== 'company_id').map(([k, m]) => `${k}: ${m.join('; ')}`),
    ];
    form.setFields([
      ...placed.map(([k, errors]) => ({ name: ['answers', k], errors })),
      ...(g.fields.company_id ? [{ name: 'company_id', errors: g.fields.company_id }] : []),
    ]);
    setFormError([e.message || t('s.common.fixErrors'), ...unplaced].join(' · '));
    if (g.fields.company_id) setStep(0);
    else if (placed.length > 0) setStep(1);
  };

  /** save creates the draft the first time, then replaces its answers. */
  const save = async (): Promise<Application> => {
    const v = form.getFieldsValue(true) as WizardValues;
    const answers = toAnswers(questions, v.answers);
    if (appId) return updateApplication(appId, answers);
    const created = await startApplication(call.id, v.company_id || company.id, answers);
    setAppId(created.id);
    return created;
  };

  const saveDraft = async () => {
    clearErrors();
    setBusy('draft');
    try {
      const saved = await save();
      message.success(t('s.wizard.saved'));
      if (!app) {
        navigate(`/company/${saved.company_id}/applications/${saved.id}`, { replace: true, state: { step } });
      }
    } catch (e) {
      showProblem(e);
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async () => {
    clearErrors();
    setBusy('submit');
    try {
      const saved = await save();
      await submitApplication(saved.id);
      message.success(t('s.wizard.submitted'));
      navigate(`/company/${saved.company_id}/applications`);
    } catch (e) {
      showProblem(e);
    } finally {
      setBusy(undefined);
    }
  };

  const next = async () => {
    if (step === 0) {
      try {
        await form.validateFields(['company_id']);
      } catch {
        return;
      }
    }
    setStep((s) => Math.min(2, s + 1));
  };

  const watchedCompany = Form.useWatch('company_id', form) as string | undefined;
  const watchedAnswers = Form.useWatch('answers', form) as WizardValues['answers'];
  const preview = toAnswers(questions, watchedAnswers);
  const show = (i: number) => ({ display: step === i ? undefined : 'none' });

  return (
    <div data-testid="application-wizard">
      <Typography.Title level={5} data-testid="wizard-title">
        {t('s.wizard.title', { title: callTitle(lang, call) })}
      </Typography.Title>
      <Steps
        current={step}
        size="small"
        responsive
        style={{ marginBottom: 16 }}
        items={[
          { title: t('s.wizard.stepCompany') },
          { title: t('s.wizard.stepAnswers') },
          { title: t('s.wizard.stepConfirm') },
        ]}
        data-testid="wizard-steps"
      />
      {formError ? (
        <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} data-testid="wizard-error" />
      ) : null}
      <Form form={form} layout="vertical" requiredMark>
        <div style={show(0)} data-testid="wizard-step-company">
          <Form.Item
            name="company_id"
            label={t('s.wizard.company')}
            rules={[{ required: true, message: t('s.wizard.companyRequired') }]}
            extra={appId ? t('s.wizard.companyFixed') : undefined}
          >
            <Select data-testid="wizard-company" options={companyOptions} disabled={!!appId} />
          </Form.Item>
        </div>
        <div style={show(1)} data-testid="wizard-step-answers">
          {questions.length === 0 ? <Alert type="info" message={t('s.wizard.noQuestions')} style={{ marginBottom: 16 }} /> : null}
          {questions.map((q) => (
            <Form.Item
              key={q.key}
              name={['answers', q.key]}
              label={questionLabel(lang, q)}
              required={q.required}
              extra={questionExtra(q, t, label)}
              data-testid={`question-${q.key}`}
            >
              <QuestionInput q={q} />
            </Form.Item>
          ))}
          {call.materials?.length ? (
            <Typography.Paragraph type="secondary">
              {t('s.wizard.materialsHint', { list: call.materials.map((m) => label('s.material', m)).join(lang === 'en' ? ', ' : '、') })}
            </Typography.Paragraph>
          ) : null}
        </div>
        <div style={show(2)} data-testid="wizard-step-confirm">
          <Alert type="info" showIcon message={t('s.wizard.confirmHint')} style={{ marginBottom: 16 }} />
          <Descriptions column={1} bordered size="small" data-testid="wizard-summary">
            <Descriptions.Item label={t('s.wizard.company')}>
              {companyOptions.find((o) => o.value === watchedCompany)?.label ?? ''}
            </Descriptions.Item>
            {questions.map((q) => (
              <Descriptions.Item key={q.key} label={questionLabel(lang, q)}>
                {answerText(preview[q.key])}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </div>
      </Form>
      <Space wrap style={{ marginTop: 16 }}>
        {step > 0 ? (
          <Button data-testid="wizard-prev" onClick={() => setStep((s) => s - 1)}>
            {t('s.wizard.prev')}
          </Button>
        ) : null}
        {step < 2 ? (
          <Button type="primary" data-testid="wizard-next" onClick={next}>
            {t('s.wizard.next')}
          </Button>
        ) : null}
        <Button data-testid="wizard-save-draft" loading={busy === 'draft'} disabled={!!busy} onClick={saveDraft}>
          {t('s.wizard.saveDraft')}
        </Button>
        {step === 2 ? (
          <Button type="primary" data-testid="wizard-submit" loading={busy === 'submit'} disabled={!!busy} onClick={submit}>
            {t('s.wizard.submit')}
          </Button>
        ) : null}
      </Space>
    </div>
  );
}

/** ApplicationView shows a submitted (or decided) application, read-only. */
function ApplicationView({ company, call, app, onChange }: { company: Company; call: IntakeCall; app: Application; onChange: () => void }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const answerText = useAnswerText();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const withdraw = async () => {
    setBusy(true);
    try {
      await withdrawApplication(app.id);
      message.success(t('s.apps.withdrawn'));
      onChange();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="application-view">
      <Typography.Title level={5} data-testid="wizard-title">
        {t('s.wizard.title', { title: callTitle(lang, call) })}
      </Typography.Title>
      <Alert
        type={app.status === 'rejected' ? 'warning' : app.status === 'admitted' ? 'success' : 'info'}
        showIcon
        style={{ marginBottom: 16 }}
        message={t('s.wizard.readonly', { status: label('s.appStatus', app.status) })}
      />
      <Descriptions column={1} bordered size="small" data-testid="application-details">
        <Descriptions.Item label={t('s.wizard.company')}>{localizedName(lang, company)}</Descriptions.Item>
        <Descriptions.Item label={t('s.wizard.status')}>
          <CodeTag prefix="s.appStatus" code={app.status} testId="application-status" />
        </Descriptions.Item>
        {app.reason ? (
          <Descriptions.Item label={t('s.wizard.reason')}>
            <span data-testid="application-reason">{app.reason}</span>
          </Descriptions.Item>
        ) : null}
        {(call.questions ?? []).map((q) => (
          <Descriptions.Item key={q.key} label={questionLabel(lang, q)}>
            {answerText(app.answers?.[q.key])}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {canWithdraw(app.status) ? (
        <Popconfirm
          title={t('s.apps.withdrawConfirm')}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true, 'data-testid': 'application-withdraw-confirm' } as ButtonProps}
          onConfirm={withdraw}
        >
          <Button danger style={{ marginTop: 16 }} loading={busy} data-testid="application-withdraw">
            {t('s.apps.withdraw')}
          </Button>
        </Popconfirm>
      ) : null}
    </div>
  );
}
