import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import type { CarrierKind } from '../../api/carriers';
import { acceptPromotion, companyChain, exitResidency, getPromotion, getResidency, graduate, GRADUATION_REASONS, isOpenResidency, moveIn, promotionTargets, proposePromotion, SHARED_ITEMS, type PromotionTarget, type Promotion, type Residency } from '../../api/residencies';
import { LoadFailure } from '../../components/ErrorAlert';
import { IndustryText, KindTag, useLabels } from '../../components/Tags';
import { useI18n } from '../../i18n';
import { applyProblemToForm, errorText } from '../../lib/formErrors';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { OpStatusTag, todayISO, useCanOperate, useOpLabel } from './common';
import { LadderReview } from './LadderReview';
import { ConcurrentResidencyAlert } from './ConcurrentResidencyAlert';
import { PromotionPacket, promotionCarrierName, promotionsChanged, useLiveReload } from './IncomingPromotionsPage';
import { ResidencyMilestonesSummary } from '../../components/milestones/ResidencyMilestonesSummary';

type Action = 'move-in' | 'graduate' | 'exit' | 'promote';

/**
 * useEndReasonText names how a residency ended: a graduation's reason code
 * and a promotion's "promoted" in the UI language; an exit's reason is the
 * carrier's own words, shown as written.
 */
function useEndReasonText() {
  const { t } = useI18n();
  const label = useOpLabel();
  return (status: string, reason: string) => {
    if (status === 'graduated') return label('gradReason', reason);
    if (status === 'promoted' && reason === 'promoted') return t('o.res.promotedReason');
    return reason;
  };
}

/** ResidencyDetailPage shows one residency, its rule evaluation, promotion and the company's chain. */
export function ResidencyDetailPage() {
  const { residencyId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const endReason = useEndReasonText();
  const { message } = App.useApp();
  const [action, setAction] = useState<Action | null>(null);
  const [accepting, setAccepting] = useState(false);

  const { data: r, error, loading, reload } = useAsync((signal) => getResidency(residencyId, signal), [residencyId]);
  // A residency without a promotion answers 404; that is "none", not a failure.
  const promo = useAsync(
    (signal) => getPromotion(residencyId, signal).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
    [residencyId, r?.updated_at],
  );
  const chain = useAsync(
    (signal) => (r ? companyChain(r.company_id, signal) : Promise.resolve(undefined)),
    [r?.company_id, r?.updated_at],
  );
  // The company consents and the receiving carrier accepts elsewhere: ask again on focus and every few seconds.
  useLiveReload(promo.reload);
  useLiveReload(reload);
  const writable = useCanOperate(r?.carrier_id);
  const canAcceptIncoming = useCanOperate(promo.data?.to_carrier_id);

  if (error) return <LoadFailure error={error} onRetry={reload} />;
  if (!r) return <Card loading={loading}><Skeleton active /></Card>;

  const ev = r.evaluation;
  const accept = async (p: Promotion) => {
    setAccepting(true);
    try {
      await acceptPromotion(p.residency_id);
      message.success(t('o.res.promotionAccepted'));
      promotionsChanged();
      reload();
      promo.reload();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setAccepting(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        {writable ? (
          <Link to={`/carriers/${r.carrier_id}/residents`} data-testid="residency-back">
            {t('o.res.backToList')}
          </Link>
        ) : null}
        <Space wrap size={[8, 4]} style={{ display: 'flex', margin: '8px 0' }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="residency-title">
            {r.company_name || r.company_key}
          </Typography.Title>
          <OpStatusTag kind="resStatus" status={r.status} testId="residency-detail-status" />
          {r.overstaying ? <Tag color="red">{t('o.res.overstaying')}</Tag> : null}
        </Space>
        {writable ? (
          <Space wrap style={{ marginBottom: 12 }}>
            {r.status === 'admitted' ? (
              <Button type="primary" onClick={() => setAction('move-in')} data-testid="residency-move-in">
                {t('o.res.moveIn')}
              </Button>
            ) : null}
            {r.status === 'in_residence' ? (
              <>
                <Button type="primary" onClick={() => setAction('graduate')} data-testid="residency-graduate">
                  {t('o.res.graduate')}
                </Button>
                <Button onClick={() => setAction('promote')} data-testid="residency-promote">
                  {t('o.res.promote')}
                </Button>
              </>
            ) : null}
            {r.status === 'admitted' || r.status === 'in_residence' ? (
              <Button danger onClick={() => setAction('exit')} data-testid="residency-exit">
                {t('o.res.exit')}
              </Button>
            ) : null}
          </Space>
        ) : null}
        <ConcurrentResidencyAlert residency={r} />
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="residency-descriptions">
          <Descriptions.Item label={t('o.res.carrier')}>
            {localizedName(lang, { name_zh: r.carrier_name, name_en: r.carrier_name_en })}{' '}
            {r.carrier_kind ? <KindTag kind={r.carrier_kind as CarrierKind} /> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('o.res.industry')}>
            <IndustryText code={r.industry_code} />
          </Descriptions.Item>
          <Descriptions.Item label={t('o.res.admittedOn')}>{r.admitted_on}</Descriptions.Item>
          <Descriptions.Item label={t('o.res.movedInOn')}>{r.moved_in_on || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('o.res.unit')}>{r.unit || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('o.res.area')}>{r.area_m2 ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('o.res.termEndOn')}>{r.term_end_on || '—'}</Descriptions.Item>
          {r.ended_on ? <Descriptions.Item label={t('o.res.endedOn')}>{r.ended_on}</Descriptions.Item> : null}
          {r.outcome ? (
            <Descriptions.Item label={t('o.res.outcome')}>
              <OpStatusTag kind="resStatus" status={r.outcome} />
            </Descriptions.Item>
          ) : null}
          {r.reason ? (
            <Descriptions.Item label={t('o.res.reason')}>
              <span data-testid="residency-reason">{endReason(r.status, r.reason)}</span>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>

      {ev ? (
        <Card size="small" title={t('o.res.evaluation')}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="residency-evaluation">
            <Descriptions.Item label={t('o.res.rulePack')}>v{ev.rule_pack_version}</Descriptions.Item>
            <Descriptions.Item label={t('o.res.termMonths')}>{ev.term_months}</Descriptions.Item>
            <Descriptions.Item label={t('o.res.overstaying')}>{ev.overstaying ? t('o.common.yes') : t('o.common.no')}</Descriptions.Item>
            <Descriptions.Item label={t('o.res.entryAge')}>
              {ev.entry_age_months ?? '—'}
              {ev.entry_age_exceeded ? <Tag color="orange" style={{ marginLeft: 8 }}>{t('o.res.entryAgeExceeded')}</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('o.res.graduationMet')} span={2}>
              {ev.graduation_met?.length ? ev.graduation_met.map((g) => <Tag key={g}>{label('gradReason', g)}</Tag>) : t('o.res.none')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}

      {promo.data ? (
        <Card size="small" title={t('o.res.promotion')} data-testid="residency-promotion">
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('o.res.promotionStatus')}>
              <OpStatusTag kind="promoStatus" status={promo.data.status} testId="promotion-status" />
            </Descriptions.Item>
            <Descriptions.Item label={t('o.res.promotionTo')}>
              {promo.data.to_kind ? <KindTag kind={promo.data.to_kind as CarrierKind} /> : null}
              <Link to={`/carriers/${promo.data.to_carrier_id}`} data-testid="promotion-to-carrier">
                {promotionCarrierName(lang, promo.data, 'to') || t('o.common.carrier')}
              </Link>
            </Descriptions.Item>
            {promo.data.note ? <Descriptions.Item label={t('o.res.note')}>{promo.data.note}</Descriptions.Item> : null}
            {promo.data.decline_reason ? (
              <Descriptions.Item label={t('o.res.declineReason')}>
                <span data-testid="promotion-decline-reason">{promo.data.decline_reason}</span>
              </Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('o.res.shared')}>
              {(promo.data.shared ?? []).map((s) => label('shared', s)).join('、')}
            </Descriptions.Item>
            {promo.data.new_residency_id ? (
              <Descriptions.Item label={t('o.res.newResidency')}>
                <Link to={`/residencies/${promo.data.new_residency_id}`} data-testid="promotion-new-residency">
                  {t('o.inc.openResidency', { carrier: promotionCarrierName(lang, promo.data, 'to') || t('o.common.carrier') })}
                </Link>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {promo.data.status === 'proposed' ? <Alert type="info" showIcon message={t('o.res.waitingConsent')} /> : null}
          {promo.data.status === 'declined' ? <Alert type="warning" showIcon message={t('o.res.declinedHint')} /> : null}
          {promo.data.status === 'consented' && canAcceptIncoming ? (
            <Popconfirm
              title={t('o.res.acceptConfirm')}
              onConfirm={() => accept(promo.data as Promotion)}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ 'data-testid': 'promotion-accept-confirm' }}
            >
              <Button type="primary" loading={accepting} data-testid="promotion-accept">
                {t('o.res.acceptPromotion')}
              </Button>
            </Popconfirm>
          ) : null}
        </Card>
      ) : null}

      {r.promoted_from_id ? <PromotedFromPacket residencyId={r.promoted_from_id} /> : null}

      {writable && isOpenResidency(r.status) ? <LadderReview companyId={r.company_id} writable={writable} /> : null}

      <Card size="small" title={t('m.plan.title')} extra={<Link to={`/residencies/${r.id}/milestones`} data-testid="residency-milestones">{t('m.plan.open')}</Link>}>
        <ResidencyMilestonesSummary residencyId={r.id} />
      </Card>

      <Card size="small" title={t('o.res.chain')}>
        <ChainTimeline items={chain.data?.items} currentId={r.id} />
      </Card>

      {action ? (
        <ResidencyActionModal
          residency={r}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            message.success(t('o.res.done'));
            reload();
          }}
        />
      ) : null}
    </Space>
  );
}

/**
 * PromotedFromPacket shows, on a residency opened by a promotion, the handoff
 * packet the company consented to share (read through the promotion of the
 * residency it came from, which the receiving carrier may read).
 */
function PromotedFromPacket({ residencyId }: { residencyId: string }) {
  const { t, lang } = useI18n();
  const { data, error, reload } = useAsync((signal) => getPromotion(residencyId, signal), [residencyId]);
  if (error) return <LoadFailure error={error} onRetry={reload} />;
  return (
    <Card
      size="small"
      title={data ? t('o.packet.fromPromotion', { carrier: promotionCarrierName(lang, data, 'from') }) : t('o.packet.title')}
      data-testid="residency-packet"
    >
      {data ? <PromotionPacket promotion={data} /> : <Skeleton active />}
    </Card>
  );
}

/** ChainTimeline shows a company's residencies along the chain, oldest first. */
export function ChainTimeline({ items, currentId }: { items?: Residency[]; currentId?: string }) {
  const { t, lang } = useI18n();
  const endReason = useEndReasonText();
  if (!items) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (items.length === 0) return <Empty description={t('o.res.chainEmpty')} />;
  const color = (s: string) => (s === 'in_residence' ? 'green' : s === 'admitted' ? 'blue' : s === 'exited' ? 'gray' : s === 'promoted' ? 'purple' : 'gold');
  return (
    <Timeline
      data-testid="chain-timeline"
      items={items.map((x) => ({
        color: color(x.status),
        children: (
          <div data-testid="chain-item">
            <Space wrap size={[6, 2]}>
              {x.id === currentId ? (
                <Typography.Text strong>{localizedName(lang, { name_zh: x.carrier_name, name_en: x.carrier_name_en })}</Typography.Text>
              ) : (
                <Link to={`/residencies/${x.id}`}>{localizedName(lang, { name_zh: x.carrier_name, name_en: x.carrier_name_en })}</Link>
              )}
              {x.carrier_kind ? <KindTag kind={x.carrier_kind as CarrierKind} /> : null}
              <OpStatusTag kind="resStatus" status={x.status} />
            </Space>
            <div style={{ color: '#888', fontSize: 12 }}>
              {t('o.res.admittedOn')} {x.admitted_on}
              {x.moved_in_on ? ` · ${t('o.res.movedInOn')} ${x.moved_in_on}` : ''}
              {x.ended_on ? ` · ${t('o.res.endedOn')} ${x.ended_on}` : ''}
              {x.reason ? ` · ${endReason(x.status, x.reason)}` : ''}
            </div>
          </div>
        ),
      }))}
    />
  );
}

const ACTION_FIELDS: Record<Action, string[]> = {
  'move-in': ['moved_in_on', 'unit', 'area_m2'],
  graduate: ['reason', 'on'],
  exit: ['reason', 'on'],
  promote: ['to_carrier_id', 'note', 'shared'],
};

/** ResidencyActionModal records a move-in, a graduation, an exit or proposes a promotion. */
export function ResidencyActionModal({
  residency: r,
  action,
  onClose,
  onDone,
}: {
  residency: Residency;
  action: Action;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const labels = useLabels();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const targets = useAsync(
    (signal) =>
      action === 'promote'
        ? promotionTargets(r.id, signal)
        : Promise.resolve([] as PromotionTarget[]),
    [action, r.id],
  );

  const finish = async (v: Record<string, unknown>) => {
    setSaving(true);
    setProblem(null);
    const s = (k: string) => String(v[k] ?? '').trim();
    try {
      if (action === 'move-in') await moveIn(r.id, { moved_in_on: s('moved_in_on'), unit: s('unit'), area_m2: Number(v.area_m2 ?? 0) });
      else if (action === 'graduate') await graduate(r.id, { reason: s('reason'), on: s('on') });
      else if (action === 'exit') await exitResidency(r.id, { reason: s('reason'), on: s('on') });
      else await proposePromotion(r.id, s('to_carrier_id'), s('note'), (v.shared as string[] | undefined) ?? []);
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) {
        const rest = applyProblemToForm(form, e, ACTION_FIELDS[action], t);
        setProblem([e.message, ...rest].join(' · '));
      } else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  const titles: Record<Action, string> = {
    'move-in': t('o.res.moveIn'),
    graduate: t('o.res.graduate'),
    exit: t('o.res.exit'),
    promote: t('o.res.promote'),
  };
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  let body: ReactNode;
  if (action === 'move-in') {
    body = (
      <>
        <Form.Item name="moved_in_on" label={t('o.res.movedInOn')} rules={required}>
          <Input type="date" data-testid="action-moved-in-on" />
        </Form.Item>
        <Form.Item name="unit" label={t('o.res.unit')} rules={required}>
          <Input maxLength={100} data-testid="action-unit" />
        </Form.Item>
        <Form.Item name="area_m2" label={t('o.res.area')} rules={[{ required: true, message: t('validation.required') }]}>
          <InputNumber min={0} max={100000} style={{ width: '100%' }} data-testid="action-area" />
        </Form.Item>
      </>
    );
  } else if (action === 'graduate' || action === 'exit') {
    body = (
      <>
        {action === 'graduate' ? (
          <Form.Item name="reason" label={t('o.res.graduationReason')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={GRADUATION_REASONS.map((g) => ({ value: g, label: label('gradReason', g) }))} data-testid="action-reason" />
          </Form.Item>
        ) : (
          <Form.Item name="reason" label={t('o.res.exitReason')} rules={required}>
            <Input.TextArea rows={2} maxLength={500} data-testid="action-reason" />
          </Form.Item>
        )}
        <Form.Item name="on" label={t('o.res.on')} extra={t('o.res.onHelp')}>
          <Input type="date" data-testid="action-on" />
        </Form.Item>
      </>
    );
  } else {
    body = (
      <>
        <Form.Item
          name="to_carrier_id"
          label={t('o.res.toCarrier')}
          extra={t('o.res.toCarrierHelp')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            loading={targets.loading}
            notFoundContent={t('o.res.noHigherCarrier')}
            options={(targets.data ?? []).map((c) => ({ value: c.id, label: `${localizedName(lang, c)}（${labels.kind(c.kind)}）` }))}
            data-testid="action-to-carrier"
          />
        </Form.Item>
        <Form.Item name="note" label={t('o.res.note')}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="action-note" />
        </Form.Item>
        <Form.Item name="shared" label={t('o.res.shared')}>
          <Checkbox.Group
            options={SHARED_ITEMS.filter((s) => s !== 'profile').map((s) => ({ value: s, label: label('shared', s) }))}
            data-testid="action-shared"
          />
        </Form.Item>
      </>
    );
  }

  return (
    <Modal
      open
      title={titles[action]}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()} data-testid="action-submit">
          {titles[action]}
        </Button>,
      ]}
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="action-error" /> : null}
      <Form form={form} layout="vertical" onFinish={finish} initialValues={action === 'move-in' ? { moved_in_on: todayISO() } : { shared: ['milestones'] }}>
        {body}
      </Form>
    </Modal>
  );
}
