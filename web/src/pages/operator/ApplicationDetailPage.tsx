import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Empty, Form, Input, Radio, Row, Skeleton, Space, Table, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { getCompany } from '../../api/companies';
import { decideApplication, getApplication, reviewApplication, type Application, type ApplicationReview, type Decision } from '../../api/applications';
import { DEFAULT_CRITERIA, getIntakeCall, type IntakeCall, type Question } from '../../api/intakeCalls';
import { applicationChecklistId, getChecklist } from '../../api/documents';
import { ChecklistSlots } from '../../components/ChecklistSlots';
import { DocStatusTag } from '../../components/documentParts';
import { LoadFailure } from '../../components/ErrorAlert';
import { FileAnswer } from '../../components/FileAnswer';
import { canManageCarrier, isPlatformAdmin } from '../../auth/roles';
import { useSession } from '../../auth/session';
import { useI18n, type TFunc } from '../../i18n';
import { errorText, fieldMessage, labelledMessage } from '../../lib/formErrors';
import { formatDateTime, localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { moneyText, OpStatusTag, useCanOperate, useOpLabel } from './common';

const DECIDABLE = new Set(['submitted', 'reviewing']);

/** answerText shows one answer by its question's type: money with its unit, a choice as is. */
export function answerText(q: Question | undefined, v: unknown, t: TFunc): string {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'object' && v !== null && 'amount' in v) {
    const m = v as { amount: number; unit?: string };
    return moneyText(Number(m.amount), m.unit ?? q?.unit, t);
  }
  if (typeof v === 'boolean') return v ? t('o.common.yes') : t('o.common.no');
  return String(v);
}

/**
 * AnswerCell shows one answer; a file answer (a document id) is the
 * document's file name, a download when the viewer may fetch it.
 */
function AnswerCell({ q, v, testId }: { q: Question | undefined; v: unknown; testId?: string }): ReactNode {
  const { t } = useI18n();
  if (q?.type === 'file' && typeof v === 'string' && v.trim() !== '') return <FileAnswer documentId={v.trim()} testId={testId} />;
  return answerText(q, v, t);
}

interface Loaded {
  app: Application;
  call?: IntakeCall;
  companyName?: string;
}

/**
 * ApplicationDetailPage shows an application with its answers and reviews;
 * the carrier's staff add a rubric review and admit or reject with a reason.
 */
export function ApplicationDetailPage() {
  const { applicationId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const { data, error, loading, reload } = useAsync<Loaded>(async (signal) => {
    const app = await getApplication(applicationId, signal);
    // The form and the company only add labels; the application shows without them.
    const [call, company] = await Promise.all([
      getIntakeCall(app.call_id, signal).catch(() => undefined),
      getCompany(app.company_id, signal).catch(() => undefined),
    ]);
    return { app, call, companyName: company ? localizedName(lang, company) : app.company_name_zh };
  }, [applicationId, lang]);
  const writable = useCanOperate(data?.app.carrier_id);

  if (error) return <LoadFailure error={error} onRetry={reload} />;
  if (!data) return <Card loading={loading}><Skeleton active /></Card>;
  const { app, call } = data;
  const questions = call?.questions ?? [];
  const criteria = call?.criteria?.length ? call.criteria : DEFAULT_CRITERIA;
  const qLabel = (q: Question) => (lang === 'en' && q.label_en ? q.label_en : q.label_zh);
  const extraKeys = Object.keys(app.answers ?? {}).filter((k) => !questions.some((q) => q.key === k));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space wrap>
          <Link to={`/carriers/${app.carrier_id}/applications`} data-testid="application-back">
            {t('o.app.backToInbox')}
          </Link>
        </Space>
        <Typography.Title level={4} style={{ margin: '8px 0' }} data-testid="application-title">
          {data.companyName || app.company_id}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="application-descriptions">
          <Descriptions.Item label={t('o.app.call')}>{call?.title_zh || app.call_title_zh || app.call_id}</Descriptions.Item>
          <Descriptions.Item label={t('o.common.status')}>
            <OpStatusTag kind="appStatus" status={app.status} testId="application-detail-status" />
          </Descriptions.Item>
          <Descriptions.Item label={t('o.app.submittedAt')}>{formatDateTime(app.submitted_at) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('o.app.decidedAt')}>{formatDateTime(app.decided_at) || '—'}</Descriptions.Item>
          {app.reason ? (
            <Descriptions.Item label={t('o.app.reason')} span={2}>
              <span data-testid="application-reason">{app.reason}</span>
            </Descriptions.Item>
          ) : null}
          {app.override_reason ? (
            <Descriptions.Item label={t('o.app.overrideReason')} span={2}>
              <span data-testid="application-override-reason">{app.override_reason}</span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>

      <Card title={t('o.app.answers')} size="small">
        {questions.length === 0 && extraKeys.length === 0 ? (
          <Empty description={t('o.app.noAnswers')} />
        ) : (
          <Descriptions size="small" column={1} bordered data-testid="application-answers">
            {questions.map((q) => (
              <Descriptions.Item key={q.key} label={qLabel(q)}>
                <AnswerCell q={q} v={app.answers?.[q.key]} testId={`file-answer-${q.key}`} />
              </Descriptions.Item>
            ))}
            {extraKeys.map((k) => (
              <Descriptions.Item key={k} label={k}>
                <AnswerCell q={undefined} v={app.answers[k]} />
              </Descriptions.Item>
            ))}
          </Descriptions>
        )}
      </Card>

      {app.materials?.length || call?.materials?.length ? (
        <Card title={t('o.app.materials')} size="small" data-testid="application-materials">
          <ChecklistSlots
            checklistId={applicationChecklistId(app.id)}
            variant="operator"
            canReview={writable}
            fallback={
              <Space wrap style={{ marginBottom: 8 }} data-testid="application-materials-summary">
                {(app.materials ?? []).map((m) => (
                  <span key={m.type}>
                    {label('material', m.type)} <DocStatusTag status={m.document_id ? m.status || 'uploaded' : 'empty'} />
                  </span>
                ))}
              </Space>
            }
          />
        </Card>
      ) : null}

      <Card title={t('o.app.reviews')} size="small">
        <ReviewsTable reviews={app.reviews ?? []} criteria={criteria} />
        {writable && DECIDABLE.has(app.status) ? <ReviewForm app={app} criteria={criteria} onSaved={reload} /> : null}
      </Card>

      {writable && DECIDABLE.has(app.status) ? <DecisionForm app={app} onSaved={reload} /> : null}
    </Space>
  );
}

function ReviewsTable({ reviews, criteria }: { reviews: ApplicationReview[]; criteria: string[] }) {
  const { t } = useI18n();
  const label = useOpLabel();
  const avg = (r: ApplicationReview) => {
    const vs = Object.values(r.scores ?? {});
    return vs.length ? (vs.reduce((a, b) => a + b, 0) / vs.length).toFixed(1) : '—';
  };
  return (
    <Table<ApplicationReview>
      data-testid="application-reviews"
      size="small"
      rowKey={(r) => `${r.reviewer_id}-${r.at}`}
      pagination={false}
      dataSource={reviews}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('o.app.noReviews') }}
      columns={[
        ...criteria.map((c) => ({
          title: label('criterion', c),
          key: c,
          render: (_: unknown, r: ApplicationReview) => r.scores?.[c] ?? '—',
        })),
        { title: t('o.app.average'), key: 'avg', render: (_: unknown, r: ApplicationReview) => avg(r) },
        { title: t('o.app.comment'), dataIndex: 'comment', key: 'comment' },
        { title: t('o.app.reviewedAt'), key: 'at', render: (_: unknown, r: ApplicationReview) => formatDateTime(r.at) },
      ]}
    />
  );
}

/** ReviewForm scores every criterion 1–5; a second review by the same person replaces the first. */
function ReviewForm({ app, criteria, onSaved }: { app: Application; criteria: string[]; onSaved: () => void }) {
  const { t } = useI18n();
  const label = useOpLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const finish = async (v: { scores?: Record<string, number>; comment?: string }) => {
    setSaving(true);
    setProblem(null);
    try {
      await reviewApplication(app.id, v.scores ?? {}, (v.comment ?? '').trim());
      message.success(t('o.app.reviewSaved'));
      form.resetFields();
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest: string[] = [];
        const placed: { name: (string | number)[]; errors: string[] }[] = [];
        for (const f of e.fields) {
          const m = /^scores\.(.+)$/.exec(f.field);
          if (m && criteria.includes(m[1])) placed.push({ name: ['scores', m[1]], errors: [fieldMessage(f, t)] });
          else if (f.field === 'comment') placed.push({ name: ['comment'], errors: [fieldMessage(f, t)] });
          else rest.push(labelledMessage(f, t, { comment: t('o.app.comment') }));
        }
        form.setFields(placed);
        setProblem([e.message, ...rest].join(' · '));
      } else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={finish} style={{ marginTop: 16 }} data-testid="review-form">
      <Typography.Text strong>{t('o.app.addReview')}</Typography.Text>
      {problem ? <Alert type="error" showIcon message={problem} style={{ margin: '8px 0' }} data-testid="review-error" /> : null}
      <Row gutter={16}>
        {criteria.map((c) => (
          <Col xs={24} md={12} key={c}>
            <Form.Item
              name={['scores', c]}
              label={label('criterion', c)}
              rules={[{ required: true, message: t('o.app.scoreRequired') }]}
            >
              <Radio.Group
                optionType="button"
                options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))}
                data-testid={`review-score-${c}`}
              />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item name="comment" label={t('o.app.comment')}>
        <Input.TextArea rows={2} maxLength={5000} data-testid="review-comment" />
      </Form.Item>
      <Button htmlType="submit" loading={saving} data-testid="review-submit">
        {t('o.app.submitReview')}
      </Button>
    </Form>
  );
}

/** deletedMaterials lists the required materials of an application whose slot is empty now (their document deleted). */
async function deletedMaterials(applicationId: string): Promise<string[]> {
  const c = await getChecklist(applicationChecklistId(applicationId)).catch(() => undefined);
  return (c?.slots ?? []).filter((s) => s.required && !s.document).map((s) => s.type);
}

/**
 * DecisionForm admits or rejects one application with the reason the
 * applicant reads. A park admin (or a platform admin) may admit although the
 * call's rules are not met (materials unverified, too few reviews) by giving
 * an override reason, which the application keeps; the server decides.
 */
function DecisionForm({ app, onSaved }: { app: Application; onSaved: () => void }) {
  const { t } = useI18n();
  const label = useOpLabel();
  const { message } = App.useApp();
  const { me } = useSession();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const assignments = me?.assignments ?? [];
  const mayOverride = isPlatformAdmin(assignments) || canManageCarrier(assignments, app.carrier_id);
  const decision = Form.useWatch('decision', form) as Decision | undefined;
  const overriding = Form.useWatch('override', form) as boolean | undefined;

  const finish = async (v: { decision: Decision; reason: string; override?: boolean; override_reason?: string }) => {
    setSaving(true);
    setProblem(null);
    try {
      const override = v.decision === 'admit' && v.override ? (v.override_reason ?? '').trim() : undefined;
      await decideApplication(app.id, v.decision, v.reason.trim(), override);
      message.success(t('o.app.decidedOne'));
      onSaved();
    } catch (e) {
      // A page opened a while ago: the application may have gone back to the
      // company since (it deleted a material the application relied on), and
      // a draft is the company's alone, so the decision meets "not found".
      // The checklist still says which material is gone: that is the reason.
      if (e instanceof ApiError && (e.status === 404 || e.status === 409)) {
        const gone = await deletedMaterials(app.id);
        if (gone.length > 0) {
          setProblem(t('o.app.returnedFor', { material: gone.map((m) => label('material', m)).join(t('common.listSep')) }));
          return;
        }
      }
      if (e instanceof ApiError && e.fields.length > 0) {
        const placed = e.fields
          .filter((f) => f.field === 'reason' || f.field === 'decision' || f.field === 'override_reason')
          .map((f) => ({ name: f.field, errors: [fieldMessage(f, t)] }));
        form.setFields(placed);
        // Admission refused as incomplete names unverified materials and
        // missing reviews: shown by their labels, never by their keys.
        const labels = (k: string) =>
          k.startsWith('materials.') ? label('material', k.slice('materials.'.length)) : k === 'reviews' ? t('o.app.reviews') : undefined;
        const rest = e.fields
          .filter((f) => f.field !== 'reason' && f.field !== 'decision' && f.field !== 'override_reason')
          .map((f) => labelledMessage(f, t, labels));
        const hint = mayOverride && e.fields.some((f) => f.field === 'reviews' || f.field.startsWith('materials.')) ? [t('o.app.overrideHint')] : [];
        if (rest.length > 0) setProblem([e.message, ...rest, ...hint].join(' · '));
      } else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('o.app.decision')} size="small">
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="decision-error" /> : null}
      <Form form={form} layout="vertical" onFinish={finish} initialValues={{ decision: 'admit' }} data-testid="decision-form">
        <Form.Item name="decision" label={t('o.app.decision')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'admit', label: t('o.app.admit') },
              { value: 'reject', label: t('o.app.reject') },
            ]}
            data-testid="decision-choice"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('o.app.reason')}
          extra={t('o.app.reasonHelp')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="decision-single-reason" />
        </Form.Item>
        {mayOverride && decision === 'admit' ? (
          <>
            <Form.Item name="override" valuePropName="checked" extra={t('o.app.overrideHelp')}>
              <Checkbox data-testid="decision-override">{t('o.app.override')}</Checkbox>
            </Form.Item>
            {overriding ? (
              <Form.Item
                name="override_reason"
                label={t('o.app.overrideReason')}
                rules={[
                  { required: true, whitespace: true, message: t('o.app.overrideReasonRequired') },
                  { max: 2000, message: t('o.app.overrideReasonTooLong') },
                ]}
              >
                <Input.TextArea rows={2} data-testid="decision-override-reason" />
              </Form.Item>
            ) : null}
          </>
        ) : null}
        <Button type="primary" htmlType="submit" loading={saving} data-testid="decision-single-submit">
          {t('o.app.decide')}
        </Button>
      </Form>
    </Card>
  );
}
