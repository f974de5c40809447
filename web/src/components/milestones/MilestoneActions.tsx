import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { listCompanyDocuments, type Document } from '../../api/documents';
import {
  canDecide,
  canReport,
  canSubmit,
  FIGURE_UNITS,
  isFinal,
  postProgress,
  rescheduleMilestone,
  returnMilestone,
  submitMilestone,
  verifyMilestone,
  waiveMilestone,
  type FigureUnit,
  type Milestone,
} from '../../api/milestones';
import { useI18n } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { useAsync } from '../../lib/useAsync';
import { applyNestedErrors } from '../../pages/operator/common';
import { useDocTypeName } from '../documentParts';
import { DocumentUpload } from '../DocumentUpload';
import { milestoneTitle, useIsStaffOf, useMsLabel } from './parts';

type Decision = 'verify' | 'return' | 'waive' | 'reschedule';

/**
 * MilestoneActions are the buttons a milestone offers its viewer: the
 * company's members report progress and submit it; the carrier's staff verify
 * or return what was submitted, waive and reschedule. Staff never see the
 * startup's buttons and a startup never sees the carrier's, so nobody is
 * offered verifying their own report (the service refuses it anyway).
 */
export function MilestoneActions({ m, onChanged, size = 'small' }: { m: Milestone; onChanged: (m: Milestone) => void; size?: 'small' | 'middle' }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const staff = useIsStaffOf(m.carrier_id);
  const [progress, setProgress] = useState(false);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [busy, setBusy] = useState(false);

  if (m.plan_status !== 'open' || isFinal(m.state)) return null;

  const submit = async () => {
    setBusy(true);
    try {
      const next = await submitMilestone(m.id);
      message.success(t('m.progress.submitted'));
      onChanged(next);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space wrap size={[8, 8]} data-testid="milestone-actions">
      {!staff && canReport(m) ? (
        <Button size={size} type={m.state === 'planned' ? 'primary' : 'default'} onClick={() => setProgress(true)} data-testid="milestone-report">
          {t('m.btn.progress')}
        </Button>
      ) : null}
      {!staff && canSubmit(m) ? (
        <Button size={size} type="primary" loading={busy} onClick={submit} data-testid="milestone-submit">
          {t('m.btn.submit')}
        </Button>
      ) : null}
      {staff && canDecide(m) ? (
        <>
          <Button size={size} type="primary" onClick={() => setDecision('verify')} data-testid="milestone-verify">
            {t('m.btn.verify')}
          </Button>
          <Button size={size} danger onClick={() => setDecision('return')} data-testid="milestone-return">
            {t('m.btn.return')}
          </Button>
        </>
      ) : null}
      {staff ? (
        <>
          <Button size={size} onClick={() => setDecision('reschedule')} data-testid="milestone-reschedule">
            {t('m.btn.reschedule')}
          </Button>
          <Button size={size} onClick={() => setDecision('waive')} data-testid="milestone-waive">
            {t('m.btn.waive')}
          </Button>
        </>
      ) : null}
      {progress ? (
        <ProgressModal
          m={m}
          onClose={() => setProgress(false)}
          onDone={(next) => {
            setProgress(false);
            message.success(t('m.progress.saved'));
            onChanged(next);
          }}
        />
      ) : null}
      {decision ? (
        <DecisionModal
          m={m}
          decision={decision}
          onClose={() => setDecision(null)}
          onDone={(next) => {
            setDecision(null);
            onChanged(next);
          }}
        />
      ) : null}
    </Space>
  );
}

interface ProgressValues {
  text?: string;
  kind: 'percent' | 'figure';
  percent?: number | null;
  figure?: { value?: number | null; unit?: FigureUnit };
  evidence?: string[];
}

/**
 * ProgressModal is the startup's progress form: what was done, a percent or
 * a figure with its unit, and evidence picked from the company's documents or
 * uploaded on the spot (as one of the types the milestone takes, handed to
 * its carrier). The service's field errors land next to their fields.
 */
export function ProgressModal({ m, onClose, onDone }: { m: Milestone; onClose: () => void; onDone: (m: Milestone) => void }) {
  const { t, lang } = useI18n();
  const label = useMsLabel();
  const typeName = useDocTypeName();
  const [form] = Form.useForm<ProgressValues>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<Document[]>([]);
  const types = m.evidence_types.length > 0 ? m.evidence_types : ['milestone_evidence'];
  const [uploadType, setUploadType] = useState(types[0]);
  const kind = Form.useWatch('kind', form) ?? (m.target ? 'figure' : 'percent');
  const docs = useAsync((signal) => listCompanyDocuments(m.company_id, { page_size: 200 }, signal).catch(() => undefined), [m.company_id]);
  const known = new Map<string, Document>();
  for (const d of [...(docs.data?.items ?? []), ...uploaded]) if (d.status !== 'deleted') known.set(d.id, d);
  const options = [...known.values()].map((d) => ({ value: d.id, label: `${d.filename} · ${typeName(d.type)}` }));

  const finish = async (v: ProgressValues) => {
    setSaving(true);
    setProblem(null);
    try {
      const figure = v.kind === 'figure' && v.figure?.value != null ? { value: v.figure.value, unit: v.figure.unit } : null;
      const res = await postProgress(m.id, {
        text: (v.text ?? '').trim(),
        percent: v.kind === 'percent' && v.percent != null ? v.percent : null,
        figure,
        evidence: v.evidence ?? [],
      });
      onDone(res.milestone);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest = applyNestedErrors(form, e, ['text', 'percent', 'figure', 'evidence'], t, ['evidence']);
        setProblem([e.message, ...rest].join(' · '));
      } else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('m.progress.title', { title: milestoneTitle(lang, m) })}
      onCancel={onClose}
      width={560}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()} data-testid="progress-save">
          {t('m.progress.save')}
        </Button>,
      ]}
    >
      <div data-testid="progress-form">
        {m.criteria ? (
          <Typography.Paragraph type="secondary">
            {t('m.field.criteria')}: {m.criteria}
          </Typography.Paragraph>
        ) : null}
        {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="progress-error" /> : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={finish}
          initialValues={{
            kind: m.target ? 'figure' : 'percent',
            percent: m.percent ?? undefined,
            figure: { value: m.figure?.value, unit: m.figure?.unit ?? m.target?.unit ?? 'thousand_yuan' },
            evidence: m.evidence ?? [],
          }}
        >
          <Form.Item name="text" label={t('m.field.text')}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="progress-text" />
          </Form.Item>
          <Form.Item name="kind" label={t('m.progress.kind')}>
            <Radio.Group
              data-testid="progress-kind"
              options={[
                { value: 'percent', label: t('m.progress.kindPercent') },
                { value: 'figure', label: t('m.progress.kindFigure') },
              ]}
            />
          </Form.Item>
          {kind === 'percent' ? (
            <Form.Item name="percent" label={t('m.field.percent')}>
              <InputNumber min={0} max={100} addonAfter="%" style={{ width: '100%' }} data-testid="progress-percent" />
            </Form.Item>
          ) : (
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name={['figure', 'value']} label={t('m.field.figure')} style={{ flex: 1 }}>
                <InputNumber style={{ width: '100%' }} data-testid="progress-figure" />
              </Form.Item>
              <Form.Item name={['figure', 'unit']} label={t('m.field.unit')} style={{ width: 160 }}>
                <Select options={FIGURE_UNITS.map((u) => ({ value: u, label: label('unit', u) }))} data-testid="progress-unit" />
              </Form.Item>
            </Space.Compact>
          )}
          <Form.Item name="evidence" label={t('m.field.evidence')} extra={t('m.progress.pick')}>
            <Select mode="multiple" allowClear loading={docs.loading} options={options} optionFilterProp="label" data-testid="progress-evidence" />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('m.progress.upload')}
          </Typography.Paragraph>
          {types.length > 1 ? (
            <Space style={{ marginBottom: 8 }}>
              <span>{t('m.progress.uploadType')}</span>
              <Select
                value={uploadType}
                onChange={setUploadType}
                style={{ minWidth: 160 }}
                options={types.map((c) => ({ value: c, label: typeName(c) }))}
                data-testid="progress-upload-type"
              />
            </Space>
          ) : null}
          <DocumentUpload
            companyId={m.company_id}
            type={uploadType}
            carrierId={m.carrier_id}
            regionId={m.region_id}
            testId="progress-upload"
            onUploaded={(doc) => {
              setUploaded((u) => [...u, doc]);
              form.setFieldValue('evidence', [...(form.getFieldValue('evidence') ?? []), doc.id]);
            }}
          />
        </Form>
      </div>
    </Modal>
  );
}

const DECISION_FIELDS: Record<Decision, string[]> = {
  verify: ['comment'],
  return: ['comment'],
  waive: ['reason'],
  reschedule: ['due_on', 'reason'],
};

/** DecisionModal: the carrier verifies (comment optional), returns (comment required), waives or reschedules (reason required). */
export function DecisionModal({ m, decision, onClose, onDone }: { m: Milestone; decision: Decision; onClose: () => void; onDone: (m: Milestone) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const title = milestoneTitle(lang, m);
  const titles: Record<Decision, string> = {
    verify: t('m.decide.verifyTitle', { title }),
    return: t('m.decide.returnTitle', { title }),
    waive: t('m.decide.waiveTitle', { title }),
    reschedule: t('m.decide.rescheduleTitle', { title }),
  };
  const done: Record<Decision, string> = {
    verify: t('m.decide.verified'),
    return: t('m.decide.returned'),
    waive: t('m.decide.waived'),
    reschedule: t('m.decide.rescheduled'),
  };
  const finish = async (v: { comment?: string; reason?: string; due_on?: string }) => {
    setSaving(true);
    setProblem(null);
    const s = (x?: string) => (x ?? '').trim();
    try {
      let next: Milestone;
      if (decision === 'verify') next = await verifyMilestone(m.id, s(v.comment));
      else if (decision === 'return') next = await returnMilestone(m.id, s(v.comment));
      else if (decision === 'waive') next = await waiveMilestone(m.id, s(v.reason));
      else next = await rescheduleMilestone(m.id, s(v.due_on), s(v.reason));
      message.success(done[decision]);
      onDone(next);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest = applyNestedErrors(form, e, DECISION_FIELDS[decision], t);
        setProblem([e.message, ...rest].join(' · '));
      } else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  return (
    <Modal
      open
      title={titles[decision]}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger={decision === 'return'} loading={saving} onClick={() => form.submit()} data-testid="decision-ok">
          {t(`m.btn.${decision}` as const)}
        </Button>,
      ]}
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="decision-error" /> : null}
      <Form form={form} layout="vertical" onFinish={finish} initialValues={decision === 'reschedule' ? { due_on: m.due_on } : {}}>
        {decision === 'verify' || decision === 'return' ? (
          <Form.Item name="comment" label={decision === 'verify' ? t('m.decide.commentOptional') : t('m.field.comment')} rules={decision === 'return' ? required : []}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="decision-comment" />
          </Form.Item>
        ) : null}
        {decision === 'reschedule' ? (
          <Form.Item name="due_on" label={t('m.field.due_on')} rules={required}>
            <Input type="date" data-testid="decision-due-on" />
          </Form.Item>
        ) : null}
        {decision === 'waive' || decision === 'reschedule' ? (
          <Form.Item name="reason" label={t('m.field.reason')} rules={[{ required: true, whitespace: true, message: t('m.common.noReason') }]}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="decision-reason" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
