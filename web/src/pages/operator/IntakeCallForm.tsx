import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { createIntakeCall, DEFAULT_CRITERIA, MATERIAL_TYPES, QUESTION_MONEY_UNITS as MONEY_UNITS, QUESTION_TYPES, updateIntakeCall, type IntakeCall, type IntakeCallInput, type Question } from '../../api/intakeCalls';
import { useI18n } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { isKey, keyFromLabel, nextQuestionKey } from '../../lib/labelKeys';
import { applyNestedErrors, useOpLabel } from './common';

export interface QuestionValues {
  key?: string;
  label_zh?: string;
  label_en?: string;
  type?: string;
  required?: boolean;
  options?: string[];
  unit?: string;
}

export interface IntakeCallFormValues {
  title_zh?: string;
  title_en?: string;
  opens_on?: string;
  closes_on?: string;
  eligibility?: string;
  capacity?: number | null;
  min_reviews?: number | null;
  materials?: string[];
  criteria?: string[];
  questions?: QuestionValues[];
}

const FIELDS = ['title_zh', 'title_en', 'opens_on', 'closes_on', 'eligibility', 'capacity', 'min_reviews', 'materials', 'criteria', 'questions'];
/** Fields whose items are plain strings in one control: their errors land on the control. */
const LISTS = ['materials', 'criteria'];

const trim = (v: string | undefined) => (v ?? '').trim();

/** toQuestion keeps only what the question's type uses: options for a choice, a unit for money. */
export function toQuestion(q: QuestionValues): Question {
  const out: Question = {
    key: trim(q.key),
    label_zh: trim(q.label_zh),
    label_en: trim(q.label_en),
    type: q.type ?? 'text',
    required: !!q.required,
  };
  if (out.type === 'choice') out.options = (q.options ?? []).map((o) => o.trim()).filter((o) => o !== '');
  if (out.type === 'money') out.unit = q.unit ?? '';
  return out;
}

/**
 * toIntakeCallInput builds the body. Once a call is open its form (questions,
 * materials, criteria) is frozen, so an edit then leaves them out.
 */
export function toIntakeCallInput(v: IntakeCallFormValues, frozenForm = false): IntakeCallInput {
  const body: IntakeCallInput = {
    title_zh: trim(v.title_zh),
    title_en: trim(v.title_en),
    opens_on: trim(v.opens_on),
    closes_on: trim(v.closes_on),
    eligibility: trim(v.eligibility),
    capacity: typeof v.capacity === 'number' ? v.capacity : 0,
    // Left empty, the call keeps the service's default (one review).
    min_reviews: typeof v.min_reviews === 'number' ? v.min_reviews : 0,
  };
  if (!frozenForm) {
    body.materials = v.materials ?? [];
    // A dimension typed in Chinese becomes a key that spells it (see labelKeys).
    body.criteria = (v.criteria ?? []).map((c) => c.trim()).filter((c) => c !== '').map((c) => (isKey(c) ? c : keyFromLabel(c) ?? c));
    const questions = v.questions ?? [];
    const keys: string[] = [];
    body.questions = questions.map((q) => {
      const key = trim(q.key) || nextQuestionKey([...keys, ...questions.map((x) => trim(x.key))]);
      keys.push(key);
      return toQuestion({ ...q, key });
    });
  }
  return body;
}

export function fromIntakeCall(c: IntakeCall): IntakeCallFormValues {
  return {
    title_zh: c.title_zh,
    title_en: c.title_en,
    opens_on: c.opens_on,
    closes_on: c.closes_on,
    eligibility: c.eligibility,
    capacity: c.capacity,
    min_reviews: c.min_reviews || null,
    materials: c.materials ?? [],
    criteria: c.criteria ?? [],
    questions: (c.questions ?? []).map((q) => ({ ...q, options: q.options ?? [], unit: q.unit ?? undefined })),
  };
}

/**
 * IntakeCallFormModal creates a call (draft) or edits one; the typed question
 * list editor builds the application form applicants fill in. Mount it only
 * while shown, so each opening starts from the call's current values.
 */
export function IntakeCallFormModal({
  carrierId,
  call,
  open,
  onClose,
  onSaved,
}: {
  carrierId: string;
  call?: IntakeCall;
  open: boolean;
  onClose: () => void;
  onSaved: (c: IntakeCall) => void;
}) {
  const { t } = useI18n();
  const label = useOpLabel();
  const [form] = Form.useForm<IntakeCallFormValues>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string[]>([]);
  const frozen = !!call && call.status !== 'draft';

  const submit = async (v: IntakeCallFormValues) => {
    setSaving(true);
    setProblem([]);
    try {
      const body = toIntakeCallInput(v, frozen);
      const saved = call ? await updateIntakeCall(call.id, body) : await createIntakeCall(carrierId, body);
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest = applyNestedErrors(form, e, FIELDS, t, LISTS, {
          title_zh: t('o.intake.titleZh'),
          title_en: t('o.intake.titleEn'),
          opens_on: t('o.intake.opensOn'),
          closes_on: t('o.intake.closesOn'),
          eligibility: t('o.intake.eligibility'),
          capacity: t('o.intake.capacity'),
          min_reviews: t('o.intake.minReviews'),
          materials: t('o.intake.materials'),
          criteria: t('o.intake.criteria'),
          questions: t('o.intake.questions'),
        });
        setProblem([e.message, ...rest]);
      } else setProblem([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  const questions = Form.useWatch('questions', form) as QuestionValues[] | undefined;
  const criteria = Form.useWatch('criteria', form) as string[] | undefined;

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={call ? t('o.intake.editTitle') : t('o.intake.createTitle')}
      width={960}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={saving} onClick={() => form.submit()} data-testid="intake-form-submit">
          {call ? t('common.save') : t('common.create')}
        </Button>,
      ]}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="intake-form"
        initialValues={call ? fromIntakeCall(call) : { criteria: DEFAULT_CRITERIA, materials: [], questions: [], capacity: 10 }}
      >
        {problem.length > 0 ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="intake-form-error"
            message={problem[0]}
            description={problem.length > 1 ? problem.slice(1).map((p) => <div key={p}>{p}</div>) : undefined}
          />
        ) : null}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="title_zh" label={t('o.intake.titleZh')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={200} data-testid="intake-title-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="title_en" label={t('o.intake.titleEn')}>
              <Input maxLength={200} data-testid="intake-title-en" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="opens_on" label={t('o.intake.opensOn')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input type="date" data-testid="intake-opens-on" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="closes_on" label={t('o.intake.closesOn')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input type="date" data-testid="intake-closes-on" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="capacity" label={t('o.intake.capacity')}>
              <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} data-testid="intake-capacity" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="min_reviews"
              label={t('o.intake.minReviews')}
              extra={t('o.intake.minReviewsHelp')}
              rules={[{ type: 'integer', min: 1, max: 20, message: t('o.intake.minReviewsRange') }]}
            >
              <InputNumber precision={0} style={{ width: '100%' }} data-testid="intake-min-reviews" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="eligibility" label={t('o.intake.eligibility')}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="intake-eligibility" />
        </Form.Item>
        {frozen ? <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('o.intake.frozen')} /> : null}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="materials" label={t('o.intake.materials')}>
              <Select
                mode="multiple"
                disabled={frozen}
                options={MATERIAL_TYPES.map((m) => ({ value: m, label: label('material', m) }))}
                data-testid="intake-materials"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="criteria"
              label={t('o.intake.criteria')}
              extra={t('o.intake.criteriaHelp')}
              rules={[
                {
                  validator: async (_, value?: string[]) => {
                    const bad = (value ?? []).find((c) => !isKey(c.trim()) && !keyFromLabel(c));
                    if (bad) throw new Error(t('o.intake.criterionTooLong', { name: bad }));
                  },
                },
              ]}
            >
              <Select
                mode="tags"
                disabled={frozen}
                options={[...new Set([...DEFAULT_CRITERIA, ...(criteria ?? [])])].map((c) => ({ value: c, label: label('criterion', c) }))}
                data-testid="intake-criteria"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Card
              size="small"
              title={t('o.intake.questions')}
              extra={
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  disabled={frozen}
                  onClick={() => add({ key: nextQuestionKey((questions ?? []).map((q) => q?.key)), type: 'text', required: false, options: [] })}
                  data-testid="intake-add-question"
                >
                  {t('o.intake.addQuestion')}
                </Button>
              }
            >
              {fields.length === 0 ? <div style={{ color: '#999' }}>{t('o.intake.noQuestions')}</div> : null}
              {fields.map((f, i) => {
                const type = questions?.[f.name]?.type;
                return (
                  <div key={f.key} data-testid="intake-question" style={{ borderBottom: '1px dashed #eee', marginBottom: 8 }}>
                    <Row gutter={8} align="top">
                      <Col xs={12} md={5}>
                        <Form.Item name={[f.name, 'type']} label={t('o.intake.qType')}>
                          <Select
                            disabled={frozen}
                            options={QUESTION_TYPES.map((q) => ({ value: q, label: label('qtype', q) }))}
                            data-testid={`intake-q-type-${i}`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={8}>
                        <Form.Item
                          name={[f.name, 'label_zh']}
                          label={t('o.intake.qLabelZh')}
                          rules={[{ required: true, whitespace: true, message: t('o.intake.qLabelRequired') }]}
                        >
                          <Input disabled={frozen} data-testid={`intake-q-label-zh-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={7}>
                        <Form.Item name={[f.name, 'label_en']} label={t('o.intake.qLabelEn')}>
                          <Input disabled={frozen} data-testid={`intake-q-label-en-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={8} md={3}>
                        <Form.Item name={[f.name, 'required']} valuePropName="checked" label={t('o.intake.qRequired')}>
                          <Checkbox disabled={frozen} data-testid={`intake-q-required-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={4} md={1}>
                        <Form.Item label=" ">
                          <Button
                            danger
                            type="text"
                            icon={<DeleteOutlined />}
                            disabled={frozen}
                            onClick={() => remove(f.name)}
                            aria-label={t('o.intake.removeQuestion')}
                            data-testid={`intake-q-remove-${i}`}
                          />
                        </Form.Item>
                      </Col>
                    </Row>
                    {type === 'choice' ? (
                      <Form.Item name={[f.name, 'options']} label={t('o.intake.qOptions')} extra={t('o.intake.qOptionsHelp')}>
                        <Select mode="tags" disabled={frozen} open={false} data-testid={`intake-q-options-${i}`} />
                      </Form.Item>
                    ) : null}
                    {type === 'money' ? (
                      <Form.Item name={[f.name, 'unit']} label={t('o.intake.qUnit')}>
                        <Select
                          disabled={frozen}
                          style={{ maxWidth: 240 }}
                          options={MONEY_UNITS.map((u) => ({ value: u, label: t(`o.unit.${u}`) }))}
                          data-testid={`intake-q-unit-${i}`}
                        />
                      </Form.Item>
                    ) : null}
                  </div>
                );
              })}
            </Card>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
