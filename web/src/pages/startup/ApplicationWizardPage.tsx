import { Alert, App, Button, Descriptions, Form, Input, Popconfirm, Select, Space, Spin, Steps, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { ButtonProps } from 'antd';
import { ApiError } from '../../api/client';
import {
  applicationChecklistId,
  listCompanyDocuments,
  listDocumentTypes,
  type Document,
  type DocumentType,
} from '../../api/documents';
import { listMyCompanies, type Company } from '../../api/companies';
import { canWithdraw, getApplication, startApplication, submitApplication, updateApplication, withdrawApplication, type Answer, type Application } from '../../api/applications';
import { getIntakeCall, type IntakeCall, type Question } from '../../api/intakeCalls';
import { ChecklistSlots } from '../../components/ChecklistSlots';
import { useDocTypeName } from '../../components/documentParts';
import { NumberInput } from '../../components/NumberInput';
import { LoadFailure } from '../../components/ErrorAlert';
import { DocumentPicker, FileAnswer, isLiveDocument } from '../../components/FileAnswer';
import { useI18n, type Lang, type MessageKey } from '../../i18n';
import { pollUntil } from '../../lib/files';
import { errorText, labelledMessage, type FieldLabels } from '../../lib/formErrors';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { callTitle } from './CallsPage';
import { CodeTag, CompanyShell, useLabel } from './CompanyShell';
import { fromAnswers, groupFieldErrors, toAnswers, type AnswerValue } from './lib';

interface WizardValues {
  company_id?: string;
  answers?: Record<string, AnswerValue>;
}

type WizardStep = 'company' | 'answers' | 'materials' | 'confirm';
const STEP_TITLES: Record<WizardStep, MessageKey> = {
  company: 's.wizard.stepCompany',
  answers: 's.wizard.stepAnswers',
  materials: 's.wizard.stepMaterials',
  confirm: 's.wizard.stepConfirm',
};

const questionLabel = (lang: Lang, q: Question) => (lang === 'en' && q.label_en ? q.label_en : q.label_zh || q.key);

/**
 * ApplicationWizardPage starts an application to an intake call (mode "new",
 * /company/:companyId/calls/:callId/apply) or continues one (mode "existing",
 * /company/:companyId/applications/:applicationId): pick the company, answer
 * the call's typed questions, upload the call's required materials into the
 * application's checklist (once the draft exists), save a draft, submit. A
 * refused submission puts the server's errors on their questions or material
 * slots. Once submitted it shows the application read-only, with its status,
 * the decision's reason, its materials (a returned one can be replaced until
 * the decision) and a way to withdraw.
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

/**
 * FileChoices is what a file question's picker needs from the wizard: the
 * applying company's documents and where a new upload goes.
 */
interface FileChoices {
  companyId: string;
  /** the company's documents (not deleted), newly uploaded ones first; undefined while loading */
  documents?: Document[];
  loading: boolean;
  error?: unknown;
  types?: DocumentType[];
  regionId: string;
  /** the call's carrier once the draft exists (the company is linked to it then); none before */
  carrierId?: string;
  onUploaded: (doc: Document) => void;
}

/** QuestionInput is the control of one question; Form.Item hands it value and onChange. */
function QuestionInput({
  q,
  files,
  value,
  onChange,
}: {
  q: Question;
  files: FileChoices;
  value?: AnswerValue;
  onChange?: (v: AnswerValue) => void;
}) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const testId = `answer-${q.key}`;
  const text = { value: (value ?? '') as string, onChange: (e: { target: { value: string } }) => onChange?.(e.target.value) };
  const num = { value: (value ?? null) as number | null, onChange: (v: number | string | null) => onChange?.(v as AnswerValue) };
  switch (q.type) {
    case 'text':
      return <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} data-testid={testId} {...text} />;
    case 'number':
      return <NumberInput field={['answers', q.key]} style={{ width: '100%' }} data-testid={testId} {...num} />;
    case 'money':
      // The unit is the call's, stated next to the amount.
      return (
        <Space.Compact style={{ width: '100%' }}>
          <NumberInput field={['answers', q.key]} style={{ width: '100%' }} precision={0} min={0} data-testid={testId} {...num} />
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
      // The answer is the chosen document's id.
      return (
        <DocumentPicker
          testId={testId}
          title={questionLabel(lang, q)}
          companyId={files.companyId}
          documents={files.documents}
          loading={files.loading}
          error={files.error}
          types={files.types}
          regionId={files.regionId}
          carrierId={files.carrierId}
          onUploaded={files.onUploaded}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange?.(v)}
        />
      );
    default:
      return <Input data-testid={testId} {...text} />;
  }
}

function questionExtra(q: Question, t: ReturnType<typeof useI18n>['t'], label: ReturnType<typeof useLabel>): string | undefined {
  if (q.type === 'money') return t('s.wizard.unitFixed', { unit: label('s.unit', q.unit ?? '') });
  if (q.type === 'file') return t('s.wizard.fileHint');
  return undefined;
}

/**
 * useAnswerView shows an answer read-only: money with its unit, a file as the
 * document's name (a download when allowed; docs are documents already at
 * hand), blank ones marked.
 */
function useAnswerView() {
  const { t } = useI18n();
  const label = useLabel();
  return (q: Question, a: Answer | undefined, docs?: readonly Document[]): ReactNode => {
    if (a === undefined || a === null || a === '') return t('s.wizard.unanswered');
    if (typeof a === 'object') return `${a.amount.toLocaleString()} ${label('s.unit', a.unit)}`;
    if (q.type === 'file') {
      const id = String(a);
      return <FileAnswer documentId={id} doc={docs?.find((d) => d.id === id)} testId={`file-answer-${q.key}`} />;
    }
    return String(a);
  };
}

function WizardForm({ company, call, app }: { company: Company; call: IntakeCall; app?: Application }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const typeName = useDocTypeName();
  const answerView = useAnswerView();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm();
  const watchedCompany = Form.useWatch('company_id', form) as string | undefined;
  const initialStep = (location.state as { step?: number } | null)?.step ?? (app ? 1 : 0);
  const [step, setStep] = useState(initialStep);
  const [appId, setAppId] = useState(app?.id);
  const [busy, setBusy] = useState<'draft' | 'submit'>();
  const [formError, setFormError] = useState<string>();
  const [materialErrors, setMaterialErrors] = useState<Record<string, string[]>>({});
  const [syncing, setSyncing] = useState(false);
  const questions = useMemo(() => call.questions ?? [], [call]);
  const materials = useMemo(() => call.materials ?? [], [call]);
  const fileQuestions = useMemo(() => questions.filter((q) => q.type === 'file').map((q) => q.key), [questions]);
  const stepKeys: WizardStep[] = materials.length > 0 ? ['company', 'answers', 'materials', 'confirm'] : ['company', 'answers', 'confirm'];
  const last = stepKeys.length - 1;
  const stepOf = (k: WizardStep) => stepKeys.indexOf(k);

  // A poll after an upload stops when the page goes.
  const polling = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => polling.current?.abort(), []);

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

  // File questions choose among the applying company's documents (the first 100).
  const docsCompany = watchedCompany || app?.company_id || company.id;
  const hasFiles = fileQuestions.length > 0;
  const docTypes = useAsync(
    async (signal) => (hasFiles ? (await listDocumentTypes(call.region_id, signal).catch(() => undefined))?.items : undefined),
    [hasFiles, call.region_id],
  );
  const companyDocs = useAsync(
    (signal) => (hasFiles ? listCompanyDocuments(docsCompany, { page_size: 100 }, signal) : Promise.resolve(undefined)),
    [hasFiles, docsCompany],
  );
  const [uploadedDocs, setUploadedDocs] = useState<Document[]>([]);
  const documents = useMemo(() => {
    if (!companyDocs.data && uploadedDocs.length === 0) return undefined;
    const listed = companyDocs.data?.items ?? [];
    return [...uploadedDocs.filter((d) => !listed.some((x) => x.id === d.id)), ...listed].filter(isLiveDocument);
  }, [companyDocs.data, uploadedDocs]);
  const files: FileChoices = {
    companyId: docsCompany,
    documents,
    loading: hasFiles && companyDocs.loading,
    error: companyDocs.error,
    types: docTypes.data,
    regionId: call.region_id,
    carrierId: appId ? call.carrier_id : undefined,
    onUploaded: (d) => setUploadedDocs((list) => [d, ...list.filter((x) => x.id !== d.id)]),
  };

  /** Another applying company has other documents: its file answers start over. */
  const valuesChanged = (changed: WizardValues) => {
    if (!('company_id' in changed) || fileQuestions.length === 0) return;
    setUploadedDocs([]);
    form.setFields(fileQuestions.map((k) => ({ name: ['answers', k], value: undefined, errors: [] })));
  };

  const clearErrors = () => {
    setFormError(undefined);
    setMaterialErrors({});
    form.setFields(form.getFieldsError().filter((f) => f.errors.length > 0).map((f) => ({ name: f.name, errors: [] })));
  };

  /**
   * showProblem puts "answers.<key>" errors on their questions and
   * "materials.<type>" errors next to their slots, and opens the step that
   * holds them. savedId is the draft a failed submission just created (this
   * render's appId does not know it yet).
   */
  const showProblem = (e: unknown, savedId?: string) => {
    if (!(e instanceof ApiError) || e.fields.length === 0) {
      setFormError(errorText(e, t));
      return;
    }
    // Errors are named as the form names things: questions by their text, materials by their type's name.
    const labels: FieldLabels = (k) => {
      const q = questions.find((x) => x.key === k);
      if (q) return questionLabel(lang, q);
      if ((materials as readonly string[]).includes(k)) return typeName(k);
      return undefined;
    };
    const g = groupFieldErrors(e, ['answers', 'materials'], t, labels);
    const answers = g.byPrefix.answers ?? {};
    const known = new Set(questions.map((q) => q.key));
    const placed = Object.entries(answers).filter(([k]) => known.has(k));
    // "materials.<type>" (material_missing, material_returned) go next to their slots.
    const slotErrors = Object.entries(g.byPrefix.materials ?? {});
    const onSlots = materials.length > 0 && (savedId ?? appId) ? slotErrors : [];
    // Whatever has no place on the form is listed above it.
    const unplaced = e.fields
      .filter((f) => {
        const [prefix, key] = f.field.replace(/\[(\w+)\]/g, '.$1').split('.');
        if (prefix === 'answers') return !known.has(key);
        if (prefix === 'materials') return onSlots.length === 0;
        return prefix !== 'company_id';
      })
      .map((f) => labelledMessage(f, t, labels));
    form.setFields([
      ...placed.map(([k, errors]) => ({ name: ['answers', k], errors })),
      ...(g.fields.company_id ? [{ name: 'company_id', errors: g.fields.company_id }] : []),
    ]);
    setMaterialErrors(Object.fromEntries(onSlots));
    setFormError([e.message || t('s.common.fixErrors'), ...unplaced].join(' · '));
    if (g.fields.company_id) setStep(stepOf('company'));
    else if (placed.length > 0) setStep(stepOf('answers'));
    else if (onSlots.length > 0) setStep(stepOf('materials'));
  };

  /**
   * materialUploaded waits for the application to hold the new document: the
   * incubatees service learns it from the documents service's event a moment
   * later, and a submission before that would be refused.
   */
  const materialUploaded = async (doc: Document) => {
    setMaterialErrors(({ [doc.type]: _done, ...rest }) => rest);
    if (!appId) return;
    polling.current?.abort();
    const ctrl = new AbortController();
    polling.current = ctrl;
    setSyncing(true);
    try {
      await pollUntil(
        (signal) => getApplication(appId, signal),
        (a) =>
          (a.materials ?? []).some(
            (m) => m.type === doc.type && m.document_id === doc.id && (m.version === undefined || m.version >= doc.version),
          ),
        { intervalMs: 300, timeoutMs: 5000, signal: ctrl.signal },
      );
    } catch {
      // The submission will say what is still missing.
    } finally {
      if (polling.current === ctrl) {
        polling.current = undefined;
        setSyncing(false);
      }
    }
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

  /** answersComplete checks what the form marks required before a submission, and shows the answers if not. */
  const answersComplete = async (): Promise<boolean> => {
    try {
      await form.validateFields(['company_id', ...questions.map((q) => ['answers', q.key])]);
      return true;
    } catch {
      setStep(form.getFieldError('company_id').length > 0 ? stepOf('company') : stepOf('answers'));
      return false;
    }
  };

  const submit = async () => {
    clearErrors();
    if (!(await answersComplete())) return;
    setBusy('submit');
    let savedId: string | undefined;
    try {
      const saved = await save();
      savedId = saved.id;
      await submitApplication(saved.id);
      message.success(t('s.wizard.submitted'));
      navigate(`/company/${saved.company_id}/applications`);
    } catch (e) {
      showProblem(e, savedId);
    } finally {
      setBusy(undefined);
    }
  };

  const next = async () => {
    const fields = step === stepOf('company') ? ['company_id'] : step === stepOf('answers') ? questions.map((q) => ['answers', q.key]) : [];
    if (fields.length > 0) {
      try {
        await form.validateFields(fields);
      } catch {
        return;
      }
    }
    setStep((s) => Math.min(last, s + 1));
  };

  const watchedAnswers = Form.useWatch('answers', form) as WizardValues['answers'];
  const preview = toAnswers(questions, watchedAnswers);
  const show = (k: WizardStep) => ({ display: step === stepOf(k) ? undefined : 'none' });
  const listSep = lang === 'en' ? ', ' : '、';

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
        items={stepKeys.map((k) => ({ title: t(STEP_TITLES[k]) }))}
        data-testid="wizard-steps"
      />
      {app?.returned_for ? (
        <Alert
          type="warning"
          showIcon
          message={t('s.wizard.returnedFor', { material: typeName(app.returned_for) })}
          style={{ marginBottom: 16 }}
          data-testid="wizard-returned-for"
        />
      ) : null}
      {formError ? (
        <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} data-testid="wizard-error" />
      ) : null}
      <Form form={form} layout="vertical" requiredMark onValuesChange={valuesChanged}>
        <div style={show('company')} data-testid="wizard-step-company">
          <Form.Item
            name="company_id"
            label={t('s.wizard.company')}
            rules={[{ required: true, message: t('s.wizard.companyRequired') }]}
            extra={appId ? t('s.wizard.companyFixed') : undefined}
          >
            <Select data-testid="wizard-company" options={companyOptions} disabled={!!appId} />
          </Form.Item>
        </div>
        <div style={show('answers')} data-testid="wizard-step-answers">
          {questions.length === 0 ? <Alert type="info" message={t('s.wizard.noQuestions')} style={{ marginBottom: 16 }} /> : null}
          {questions.map((q) => (
            <Form.Item
              key={q.key}
              name={['answers', q.key]}
              label={questionLabel(lang, q)}
              required={q.required}
              rules={
                q.required
                  ? [
                      {
                        required: true,
                        // async-validator checks strings unless told otherwise: numbers and amounts are numbers.
                        type: q.type === 'number' || q.type === 'money' ? ('number' as const) : ('string' as const),
                        whitespace: q.type !== 'number' && q.type !== 'money',
                        message: t('s.wizard.answerRequired', { question: questionLabel(lang, q) }),
                      },
                    ]
                  : undefined
              }
              extra={questionExtra(q, t, label)}
              data-testid={`question-${q.key}`}
            >
              <QuestionInput q={q} files={files} />
            </Form.Item>
          ))}
        </div>
        {materials.length > 0 ? (
          <div style={show('materials')} data-testid="wizard-step-materials">
            <Typography.Paragraph type="secondary">
              {t('s.wizard.materialsIntro', { list: materials.map((m) => typeName(m)).join(listSep) })}
            </Typography.Paragraph>
            {appId ? (
              <ChecklistSlots
                checklistId={applicationChecklistId(appId)}
                variant="startup"
                editable
                errors={materialErrors}
                onUploaded={materialUploaded}
              />
            ) : (
              <Alert type="info" showIcon message={t('s.wizard.materialsSaveFirst')} data-testid="wizard-materials-save-first" />
            )}
            {syncing ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="wizard-syncing">
                <Spin size="small" /> {t('s.wizard.syncing')}
              </Typography.Paragraph>
            ) : null}
          </div>
        ) : null}
        <div style={show('confirm')} data-testid="wizard-step-confirm">
          <Alert type="info" showIcon message={t('s.wizard.confirmHint')} style={{ marginBottom: 16 }} />
          <Descriptions column={1} bordered size="small" data-testid="wizard-summary">
            <Descriptions.Item label={t('s.wizard.company')}>
              {companyOptions.find((o) => o.value === watchedCompany)?.label ?? ''}
            </Descriptions.Item>
            {questions.map((q) => (
              <Descriptions.Item key={q.key} label={questionLabel(lang, q)}>
                {answerView(q, preview[q.key], documents)}
              </Descriptions.Item>
            ))}
            {materials.length > 0 ? (
              <Descriptions.Item label={t('s.calls.materials')}>{materials.map((m) => typeName(m)).join(listSep)}</Descriptions.Item>
            ) : null}
          </Descriptions>
        </div>
      </Form>
      <Space wrap style={{ marginTop: 16 }}>
        {step > 0 ? (
          <Button data-testid="wizard-prev" onClick={() => setStep((s) => s - 1)}>
            {t('s.wizard.prev')}
          </Button>
        ) : null}
        {step < last ? (
          <Button type="primary" data-testid="wizard-next" onClick={next}>
            {t('s.wizard.next')}
          </Button>
        ) : null}
        <Button data-testid="wizard-save-draft" loading={busy === 'draft'} disabled={!!busy} onClick={saveDraft}>
          {t('s.wizard.saveDraft')}
        </Button>
        {step === last ? (
          <Button type="primary" data-testid="wizard-submit" loading={busy === 'submit'} disabled={!!busy || syncing} onClick={submit}>
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
  const answerView = useAnswerView();
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
            {answerView(q, app.answers?.[q.key])}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {call.materials?.length ? (
        <div style={{ marginTop: 16 }} data-testid="application-materials">
          <Typography.Title level={5}>{t('s.wizard.materials')}</Typography.Title>
          <ChecklistSlots checklistId={applicationChecklistId(app.id)} variant="startup" editable={canWithdraw(app.status)} />
        </div>
      ) : null}
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
