import { Alert, App, Button, Card, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Skeleton, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { DOCUMENT_TYPE_CODES } from '../../api/documents';
import {
  addMilestone,
  applyTemplate,
  companyMilestoneTimeline,
  editMilestone,
  FIGURE_UNITS,
  getPlan,
  MILESTONE_CATEGORIES,
  removeMilestone,
  type FigureUnit,
  type Milestone,
  type MilestoneCategory,
} from '../../api/milestones';
import { LoadFailure } from '../../components/ErrorAlert';
import { useDocTypeName } from '../../components/documentParts';
import { MilestoneActions } from '../../components/milestones/MilestoneActions';
import { MilestoneDrawer } from '../../components/milestones/MilestoneDrawer';
import { milestoneTitle, MilestoneTimeline, OverdueTag, StateTag, useIsStaffOf, useMsLabel } from '../../components/milestones/parts';
import { useI18n } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { useAsync } from '../../lib/useAsync';
import { applyNestedErrors } from '../operator/common';

/**
 * PlanPage is the carrier's plan editor of one residency: apply the
 * carrier's template, add, edit and remove milestones, reschedule and waive
 * with a reason, decide what was submitted; below, the company's milestones
 * across every carrier of its chain.
 */
export function PlanPage() {
  const { residencyId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useMsLabel();
  const { message } = App.useApp();
  const plan = useAsync((signal) => getPlan(residencyId, signal), [residencyId]);
  const p = plan.data;
  const timeline = useAsync(
    (signal) => (p ? companyMilestoneTimeline(p.company_id, { page_size: 200 }, signal) : Promise.resolve(undefined)),
    [p?.company_id, p],
  );
  const staff = useIsStaffOf(p?.carrier_id);
  const [editing, setEditing] = useState<Milestone | 'new' | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);

  if (plan.error) return <LoadFailure error={plan.error} onRetry={plan.reload} />;
  if (!p) return <Card loading><Skeleton active /></Card>;
  const writable = staff && p.status === 'open';

  const apply = async () => {
    setApplying(true);
    try {
      await applyTemplate(residencyId);
      message.success(t('m.plan.applied'));
      plan.reload();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setApplying(false);
    }
  };
  const remove = async (m: Milestone) => {
    try {
      await removeMilestone(m.id);
      message.success(t('m.plan.removed'));
      plan.reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card data-testid="milestone-plan">
        <Link to={`/residencies/${residencyId}`}>{t('m.plan.back')}</Link>
        <Space wrap style={{ display: 'flex', justifyContent: 'space-between', margin: '8px 0' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('m.plan.title')}
          </Typography.Title>
          {writable ? (
            <Space wrap>
              {!p.template_id ? (
                <Button type="primary" loading={applying} onClick={apply} data-testid="plan-apply-template">
                  {t('m.plan.apply')}
                </Button>
              ) : null}
              <Button onClick={() => setEditing('new')} data-testid="plan-add">
                {t('m.plan.add')}
              </Button>
            </Space>
          ) : null}
        </Space>
        <Typography.Paragraph type="secondary" data-testid="plan-base-date">
          {t('m.plan.baseDate', { date: p.base_date })}
        </Typography.Paragraph>
        {p.status === 'closed' ? <Alert type="info" showIcon message={t('m.plan.closed')} style={{ marginBottom: 12 }} /> : null}
        <Table<Milestone>
          rowKey="id"
          size="small"
          data-testid="plan-table"
          dataSource={[...p.milestones].sort((a, b) => a.due_on.localeCompare(b.due_on))}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: <Empty description={t('m.plan.none')} /> }}
          columns={[
            {
              title: t('m.field.title'),
              key: 'title',
              render: (_, m) => (
                <Typography.Link onClick={() => setOpen(m.id)} data-testid="plan-row-title">
                  {milestoneTitle(lang, m)}
                </Typography.Link>
              ),
            },
            { title: t('m.field.category'), key: 'category', render: (_, m) => label('category', m.category) },
            {
              title: t('m.field.due_on'),
              key: 'due',
              render: (_, m) => (
                <Space size={4}>
                  <span data-testid="plan-row-due">{m.due_on}</span>
                  <OverdueTag m={m} />
                </Space>
              ),
            },
            { title: t('m.field.state'), key: 'state', render: (_, m) => <StateTag state={m.state} /> },
            {
              title: t('s.common.actions'),
              key: 'actions',
              render: (_, m) => (
                <Space wrap size={[8, 4]}>
                  {writable && m.state !== 'verified' && m.state !== 'waived' ? (
                    <Button size="small" onClick={() => setEditing(m)} data-testid="plan-edit">
                      {t('m.plan.edit')}
                    </Button>
                  ) : null}
                  {writable && m.state === 'planned' ? (
                    <Popconfirm
                      title={t('m.plan.removeConfirm')}
                      onConfirm={() => remove(m)}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ 'data-testid': 'plan-remove-confirm' }}
                    >
                      <Button size="small" danger data-testid="plan-remove">
                        {t('m.plan.remove')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                  <MilestoneActions m={m} onChanged={plan.reload} />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('m.plan.timeline')}>
        <MilestoneTimeline items={timeline.data?.items} onOpen={(m) => setOpen(m.id)} />
      </Card>
      {editing ? (
        <MilestoneFormModal
          residencyId={residencyId}
          milestone={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            message.success(t('m.common.done'));
            plan.reload();
          }}
        />
      ) : null}
      {open ? <MilestoneDrawer id={open} onClose={() => setOpen(null)} onChanged={plan.reload} /> : null}
    </Space>
  );
}

interface FormValues {
  title_zh?: string;
  title_en?: string;
  category?: MilestoneCategory;
  criteria?: string;
  target?: { value?: number | null; unit?: FigureUnit };
  evidence_types?: string[];
  due_on?: string;
}

const FORM_FIELDS = ['title_zh', 'title_en', 'category', 'criteria', 'target', 'evidence_types', 'due_on'];

/** MilestoneFormModal adds a milestone (with its due date) or edits one (its date changes by rescheduling). */
export function MilestoneFormModal({
  residencyId,
  milestone,
  onClose,
  onDone,
}: {
  residencyId: string;
  milestone?: Milestone;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const label = useMsLabel();
  const typeName = useDocTypeName();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const finish = async (v: FormValues) => {
    setSaving(true);
    setProblem(null);
    const target = v.target?.value != null && v.target.unit ? { value: v.target.value, unit: v.target.unit } : null;
    const body = {
      title_zh: (v.title_zh ?? '').trim(),
      title_en: (v.title_en ?? '').trim(),
      category: v.category,
      criteria: (v.criteria ?? '').trim(),
      target,
      evidence_types: v.evidence_types ?? [],
    };
    try {
      if (milestone) await editMilestone(milestone.id, body);
      else await addMilestone(residencyId, { ...body, due_on: (v.due_on ?? '').trim() });
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest = applyNestedErrors(form, e, FORM_FIELDS, t, ['evidence_types']);
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
      title={milestone ? t('m.plan.edit') : t('m.plan.add')}
      onCancel={onClose}
      width={600}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()} data-testid="milestone-form-save">
          {t('common.save')}
        </Button>,
      ]}
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="milestone-form-error" /> : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={finish}
        data-testid="milestone-form"
        initialValues={
          milestone
            ? { ...milestone, target: milestone.target ?? { unit: 'thousand_yuan' } }
            : { category: 'other', evidence_types: ['milestone_evidence'], target: { unit: 'thousand_yuan' } }
        }
      >
        <Form.Item name="title_zh" label={t('m.field.title_zh')} rules={required}>
          <Input maxLength={200} data-testid="milestone-form-title-zh" />
        </Form.Item>
        <Form.Item name="title_en" label={t('m.field.title_en')}>
          <Input maxLength={200} data-testid="milestone-form-title-en" />
        </Form.Item>
        <Form.Item name="category" label={t('m.field.category')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={MILESTONE_CATEGORIES.map((c) => ({ value: c, label: label('category', c) }))} data-testid="milestone-form-category" />
        </Form.Item>
        <Form.Item name="criteria" label={t('m.field.criteria')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="milestone-form-criteria" />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name={['target', 'value']} label={t('m.field.target')} style={{ flex: 1 }}>
            <InputNumber min={0} style={{ width: '100%' }} data-testid="milestone-form-target" />
          </Form.Item>
          <Form.Item name={['target', 'unit']} label={t('m.field.targetUnit')} style={{ width: 180 }}>
            <Select options={FIGURE_UNITS.map((u) => ({ value: u, label: label('unit', u) }))} data-testid="milestone-form-target-unit" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="evidence_types" label={t('m.field.evidence_types')}>
          <Select mode="multiple" options={DOCUMENT_TYPE_CODES.map((c) => ({ value: c, label: typeName(c) }))} data-testid="milestone-form-evidence-types" />
        </Form.Item>
        {!milestone ? (
          <Form.Item name="due_on" label={t('m.field.due_on')} rules={required}>
            <Input type="date" data-testid="milestone-form-due-on" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
