import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { createCarrier, getCarrier, updateCarrier, CARRIER_KINDS, CARRIER_STATUSES, CHAIN_ORDER, type Carrier, type CarrierInput } from '../api/carriers';
import { LoadFailure } from '../components/ErrorAlert';
import { useLabels } from '../components/Tags';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

/** The form also shows chain_order, derived from the kind; it is never sent. */
type FormValues = CarrierInput & { chain_order?: number };

/** The fields the API takes; field errors for them land on their form items. */
export const INPUT_FIELDS = [
  'name_zh',
  'name_en',
  'kind',
  'address',
  'area_m2',
  'focus_industries',
  'capacity',
  'status',
] as const satisfies readonly (keyof CarrierInput)[];

const FORM_FIELDS = [...INPUT_FIELDS, 'chain_order'] as const;

const EMPTY: Partial<FormValues> = {
  status: 'active',
  focus_industries: [],
};

/** toInput keeps the editable fields of a carrier, in the shape the API takes. */
export function toInput(c: Carrier): CarrierInput {
  return {
    name_zh: c.name_zh,
    name_en: c.name_en,
    kind: c.kind,
    address: c.address,
    area_m2: c.area_m2,
    focus_industries: c.focus_industries ?? [],
    capacity: c.capacity,
    status: c.status,
  };
}

/** changedFields builds the PATCH body: only what differs from the loaded carrier. */
export function changedFields(before: CarrierInput, after: CarrierInput): Partial<CarrierInput> {
  const out: Partial<CarrierInput> = {};
  for (const k of INPUT_FIELDS) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      (out as Record<string, unknown>)[k] = after[k];
    }
  }
  return out;
}

/** normalize turns form values into the API body (only the fields it accepts). */
export function normalize(v: FormValues): CarrierInput {
  return {
    name_zh: (v.name_zh ?? '').trim(),
    name_en: (v.name_en ?? '').trim(),
    kind: v.kind,
    address: (v.address ?? '').trim(),
    area_m2: v.area_m2 ?? 0,
    focus_industries: (v.focus_industries ?? []).map((s) => s.trim()).filter(Boolean),
    capacity: v.capacity ?? 0,
    status: v.status,
  };
}

export function CarrierFormPage({ mode }: { mode: 'create' | 'edit' }) {
  const { regionId = '', carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string[]>([]);

  const existing = useAsync(
    async (signal) => (mode === 'edit' ? getCarrier(carrierId, signal) : undefined),
    [mode, carrierId],
  );

  useEffect(() => {
    if (existing.data) form.setFieldsValue({ ...toInput(existing.data), chain_order: existing.data.chain_order });
  }, [existing.data, form]);

  const onFinish = async (raw: FormValues) => {
    const values = normalize(raw);
    setSaving(true);
    setFormError([]);
    try {
      let saved: Carrier;
      if (mode === 'create') {
        saved = await createCarrier(regionId, values);
        message.success(t('carrierForm.created'));
      } else {
        const body = changedFields(toInput(existing.data as Carrier), values);
        if (Object.keys(body).length === 0) {
          navigate(`/carriers/${carrierId}`);
          return;
        }
        saved = await updateCarrier(carrierId, body);
        message.success(t('carrierForm.saved'));
      }
      navigate(`/carriers/${saved?.id ?? carrierId}`);
    } catch (e) {
      if (e instanceof ApiError) {
        const unplaced = applyProblemToForm(form, e, FORM_FIELDS, t);
        setFormError(e.fields.length === 0 ? [errorText(e, t)] : [t('carrierForm.fixErrors'), ...unplaced]);
      } else setFormError([errorText(e, t)]);
    } finally {
      setSaving(false);
    }
  };

  if (mode === 'edit' && existing.error) return <LoadFailure error={existing.error} onRetry={existing.reload} />;
  if (mode === 'edit' && !existing.data) return <Card><Skeleton active /></Card>;

  const title =
    mode === 'create' ? t('carrierForm.createTitle') : t('carrierForm.editTitle', { name: localizedName(lang, existing.data) });

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{title}</Typography.Title>}>
      {formError.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="carrier-form-error"
          style={{ marginBottom: 16 }}
          message={formError[0]}
          description={formError.length > 1 ? formError.slice(1).map((l) => <div key={l}>{l}</div>) : undefined}
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={EMPTY}
        onFinish={onFinish}
        onValuesChange={(changed: Partial<FormValues>) => {
          if (changed.kind) form.setFieldValue('chain_order', CHAIN_ORDER[changed.kind]);
        }}
        disabled={saving}
        data-testid="carrier-form"
      >
        <Form.Item name="name_zh" label={t('carrier.nameZh')} rules={[{ required: true, message: t('carrierForm.nameRequired') }, { max: 100, message: t('validation.too_long', { max: 100 }) }]}>
          <Input data-testid="carrier-name-zh" />
        </Form.Item>
        <Form.Item name="name_en" label={t('carrier.nameEn')}>
          <Input data-testid="carrier-name-en" />
        </Form.Item>
        <Space wrap size="middle" style={{ display: 'flex' }} align="start">
          <Form.Item name="kind" label={t('carrier.kind')} rules={[{ required: true, message: t('carrierForm.kindRequired') }]} style={{ minWidth: 220 }}>
            <Select
              data-testid="carrier-kind"
              options={CARRIER_KINDS.map((k) => ({ value: k, label: labels.kind(k) }))}
              placeholder={t('carrierForm.kindPlaceholder')}
            />
          </Form.Item>
          <Form.Item name="chain_order" label={t('carrier.chainOrder')} tooltip={t('carrierForm.chainOrderHint')}>
            <InputNumber disabled style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="status" label={t('carrier.status')} rules={[{ required: true }]} style={{ minWidth: 160 }}>
            <Select data-testid="carrier-status" options={CARRIER_STATUSES.map((s) => ({ value: s, label: labels.status(s) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="address" label={t('carrier.address')}>
          <Input data-testid="carrier-address" />
        </Form.Item>
        <Space wrap size="middle" style={{ display: 'flex' }} align="start">
          <Form.Item name="area_m2" label={t('carrier.areaM2')}>
            <InputNumber min={0} step={100} style={{ width: 180 }} data-testid="carrier-area" />
          </Form.Item>
          <Form.Item name="capacity" label={t('carrier.capacity')}>
            <InputNumber min={0} precision={0} style={{ width: 140 }} data-testid="carrier-capacity" />
          </Form.Item>
        </Space>
        <Form.Item name="focus_industries" label={t('carrier.focusIndustries')} extra={t('carrierForm.focusHint')}>
          <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} suffixIcon={null} data-testid="carrier-focus" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="carrier-save">
            {mode === 'create' ? t('common.create') : t('common.save')}
          </Button>
          <Button onClick={() => navigate(-1)} disabled={false}>
            {t('common.cancel')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
