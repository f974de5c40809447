import { Alert, App, Button, Card, Form, Input, InputNumber, List, Modal, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import {
  acceptEnrolment,
  declineEnrolment,
  listCompanyEnrolmentOffers,
  offerEnrolment,
  type EnrolmentOffer,
  type EnrolmentOfferInput,
} from '../api/enrolment';
import { useI18n } from '../i18n';
import { applyProblemToForm, errorText } from '../lib/formErrors';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';

interface OfferFormValues {
  uscc: string;
  moved_in_on?: string;
  unit?: string;
  area_m2?: number;
  note?: string;
}

const OFFER_FIELDS = ['uscc', 'moved_in_on', 'unit', 'area_m2', 'note'];

/** toOfferInput sends only what the park filled in: no move-in unless it gave one. */
export function toOfferInput(v: OfferFormValues): EnrolmentOfferInput {
  const out: EnrolmentOfferInput = { uscc: v.uscc.trim().toUpperCase() };
  if (v.moved_in_on?.trim() || v.unit?.trim() || v.area_m2) {
    out.moved_in_on = v.moved_in_on?.trim() ?? '';
    out.unit = v.unit?.trim() ?? '';
    out.area_m2 = v.area_m2 ?? 0;
  }
  if (v.note?.trim()) out.note = v.note.trim();
  return out;
}

/**
 * OfferEnrolmentButton lets a carrier's admin ask a company already at the carrier to
 * confirm its residency. The residency opens only when the company accepts.
 */
export function OfferEnrolmentButton({ carrierId, onSent }: { carrierId: string; onSent?: (o: EnrolmentOffer) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [form] = Form.useForm<OfferFormValues>();

  const submit = async (v: OfferFormValues) => {
    setBusy(true);
    setUnplaced([]);
    try {
      const o = await offerEnrolment(carrierId, toOfferInput(v));
      message.success(t('enrol.sent'));
      setOpen(false);
      form.resetFields();
      onSent?.(o);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setUnplaced(applyProblemToForm(form, e, OFFER_FIELDS, t));
      else setUnplaced([errorText(e, t)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="enrol-offer-open">
        {t('enrol.offer')}
      </Button>
      <Modal
        open={open}
        title={t('enrol.offerTitle')}
        okText={t('enrol.send')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('enrol.offerHint')}</Typography.Paragraph>
        {unplaced.length > 0 ? <Alert type="error" showIcon message={unplaced.join('；')} data-testid="enrol-offer-error" /> : null}
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item name="uscc" label={t('enrol.uscc')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={18} data-testid="enrol-uscc" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="moved_in_on" label={t('enrol.movedInOn')}>
              <Input placeholder="YYYY-MM-DD" data-testid="enrol-moved-in" />
            </Form.Item>
            <Form.Item name="unit" label={t('enrol.unit')}>
              <Input data-testid="enrol-unit" />
            </Form.Item>
            <Form.Item name="area_m2" label={t('enrol.area')}>
              <InputNumber min={0} data-testid="enrol-area" />
            </Form.Item>
          </Space>
          <Form.Item name="note" label={t('enrol.note')}>
            <Input.TextArea maxLength={500} rows={2} data-testid="enrol-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/**
 * CompanyEnrolmentOffers shows a company the carriers asking it to confirm a residency;
 * its admin accepts (the residency opens) or declines. Nothing shows when there is none.
 */
export function CompanyEnrolmentOffers({ companyId, isAdmin, onAnswered }: { companyId: string; isAdmin: boolean; onAnswered?: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState('');
  const [reason, setReason] = useState('');
  const { data, reload } = useAsync((signal) => listCompanyEnrolmentOffers(companyId, 'pending', signal), [companyId]);
  const items = data?.items ?? [];
  if (items.length === 0) return null;

  const answer = async (o: EnrolmentOffer, accept: boolean) => {
    setBusy(o.id);
    try {
      await (accept ? acceptEnrolment(o.id) : declineEnrolment(o.id, reason.trim()));
      message.success(t(accept ? 'enrol.accepted' : 'enrol.declined'));
      setReason('');
      reload();
      onAnswered?.();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy('');
    }
  };

  return (
    <Card size="small" title={t('enrol.pendingTitle')} data-testid="enrol-pending">
      <Typography.Paragraph type="secondary">{t('enrol.pendingHint')}</Typography.Paragraph>
      <List
        dataSource={items}
        renderItem={(o) => (
          <List.Item data-testid="enrol-pending-item">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text strong>
                {t('enrol.from', { carrier: localizedName(lang, { name_zh: o.carrier_name, name_en: o.carrier_name_en }) })}
              </Typography.Text>
              {o.note ? <Typography.Text type="secondary">{o.note}</Typography.Text> : null}
              {isAdmin ? (
                <Space wrap>
                  <Popconfirm title={t('enrol.acceptConfirm')} onConfirm={() => answer(o, true)}>
                    <Button type="primary" loading={busy === o.id} data-testid="enrol-accept">
                      {t('enrol.accept')}
                    </Button>
                  </Popconfirm>
                  <Input
                    placeholder={t('enrol.declineReason')}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    style={{ width: 220 }}
                    data-testid="enrol-decline-reason"
                  />
                  <Button danger loading={busy === o.id} onClick={() => answer(o, false)} data-testid="enrol-decline">
                    {t('enrol.decline')}
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('enrol.onlyAdmin')}</Typography.Text>
              )}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
