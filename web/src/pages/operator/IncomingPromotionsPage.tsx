import { Alert, App, Badge, Button, Card, Descriptions, Empty, Form, Input, List, Modal, Popconfirm, Segmented, Skeleton, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { CarrierKind } from '../../api/carriers';
import { listLadder } from '../../api/ladder';
import { METRICS, type MetricValue } from '../../api/reports';
import {
  acceptPromotion,
  countIncomingPromotions,
  declinePromotion,
  getPromotion,
  incomingPromotions,
  INCOMING_STATUSES,
  type IncomingStatus,
  type Promotion,
} from '../../api/residencies';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IndustryText, KindTag } from '../../components/Tags';
import { isMessageKey, useI18n } from '../../i18n';
import { applyProblemToForm, errorText } from '../../lib/formErrors';
import { formatDateTime, localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CarrierHeading } from './CarrierHeading';
import { OpStatusTag, useOpLabel } from './common';
import { metricText } from './ReportsPage';

const PAGE_SIZE = 20;
/** How often a page that waits for someone else asks again (and on focus). */
export const LIVE_REFRESH_MS = 15000;

/** The window event this console sends when it has changed a promotion itself. */
const PROMOTIONS_CHANGED = 'incuchain:promotions-changed';

/** promotionsChanged tells every live view (the menu badge too) to ask again now. */
export function promotionsChanged() {
  window.dispatchEvent(new Event(PROMOTIONS_CHANGED));
}

/**
 * useLiveReload calls reload when the window regains focus, when this
 * console changed a promotion, and every interval while the page is
 * visible, so a state someone else changes (a consent, an acceptance)
 * shows without a reload of the page.
 */
export function useLiveReload(reload: () => void, intervalMs = LIVE_REFRESH_MS) {
  useEffect(() => {
    const again = () => reload();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, intervalMs);
    window.addEventListener('focus', again);
    window.addEventListener(PROMOTIONS_CHANGED, again);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', again);
      window.removeEventListener(PROMOTIONS_CHANGED, again);
    };
  }, [reload, intervalMs]);
}

/** IncomingPromotionsBadge is the menu's count of promotions waiting for the carrier. */
export function IncomingPromotionsBadge({ carrierId }: { carrierId: string }) {
  const { data, reload } = useAsync((signal) => countIncomingPromotions(carrierId, signal).catch(() => undefined), [carrierId]);
  useLiveReload(reload);
  if (!data?.count) return null;
  return <Badge count={data.count} size="small" style={{ marginLeft: 8, boxShadow: 'none' }} data-testid="menu-op-incoming-badge" />;
}

/** carrierName is a promotion's sending or receiving carrier by name in the UI language. */
export function promotionCarrierName(lang: 'zh-CN' | 'en', p: Promotion, side: 'from' | 'to'): string {
  return side === 'from'
    ? localizedName(lang, { name_zh: p.from_carrier_name, name_en: p.from_carrier_name_en })
    : localizedName(lang, { name_zh: p.to_carrier_name, name_en: p.to_carrier_name_en });
}

/**
 * IncomingPromotionsPage is the receiving carrier's inbox (晋级待接收): the
 * promotions the companies consented to, each with its handoff packet, to
 * accept or decline (with a reason the sending carrier and the company read)
 * here; those accepted, with a link to the residency they opened; and those
 * declined, with the reason given.
 */
export function IncomingPromotionsPage() {
  const { carrierId = '' } = useParams();
  const { t } = useI18n();
  const [sp, setSp] = useSearchParams();
  const status = (INCOMING_STATUSES as readonly string[]).includes(sp.get('status') ?? '') ? (sp.get('status') as IncomingStatus) : 'consented';
  const page = Number(sp.get('page')) || 1;
  const { data, error, loading, reload } = useAsync(
    (signal) => incomingPromotions(carrierId, { status, page, page_size: PAGE_SIZE }, signal),
    [carrierId, status, page],
  );
  useLiveReload(reload);
  const set = (k: string, v?: string) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setSp(next, { replace: true });
  };

  return (
    <Card>
      <CarrierHeading carrierId={carrierId} titleKey="o.inc.pageTitle" />
      <Typography.Paragraph type="secondary">{t('o.inc.hint')}</Typography.Paragraph>
      <Segmented
        value={status}
        onChange={(v) => set('status', String(v))}
        options={INCOMING_STATUSES.map((s) => ({ value: s, label: t(`o.inc.tab.${s}`) }))}
        style={{ marginBottom: 12 }}
        data-testid="incoming-status"
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <List
        data-testid="incoming-list"
        loading={loading && !data}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty description={t(EMPTY_TEXT[status])} /> }}
        pagination={
          (data?.total ?? 0) > PAGE_SIZE
            ? { current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: (p) => set('page', String(p)) }
            : false
        }
        renderItem={(p) => <IncomingItem key={p.id} promotion={p} onChange={reload} />}
      />
    </Card>
  );
}

const EMPTY_TEXT = { consented: 'o.inc.empty', accepted: 'o.inc.emptyAccepted', declined: 'o.inc.emptyDeclined' } as const;
const WHEN_TEXT = { consented: 'o.inc.consentedAt', accepted: 'o.inc.acceptedAt', declined: 'o.inc.declinedAt' } as const;

function IncomingItem({ promotion: p, onChange }: { promotion: Promotion; onChange: () => void }) {
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const accept = async () => {
    setBusy(true);
    try {
      const done = await acceptPromotion(p.residency_id);
      message.success(t('o.inc.accepted'));
      promotionsChanged();
      onChange();
      if (done.new_residency_id) navigate(`/residencies/${done.new_residency_id}`);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <List.Item data-testid="incoming-item" style={{ display: 'block' }}>
      <Space wrap size={[8, 4]} style={{ display: 'flex' }}>
        <Typography.Text strong data-testid="incoming-company">
          {p.company_name}
        </Typography.Text>
        <OpStatusTag kind="promoStatus" status={p.status} />
      </Space>
      <div style={{ color: '#666', margin: '4px 0' }}>
        <span data-testid="incoming-from">
          {t('o.inc.from')}：{promotionCarrierName(lang, p, 'from')} {p.from_kind ? <KindTag kind={p.from_kind as CarrierKind} /> : null}
        </span>
        <span style={{ marginLeft: 8 }}>
          {t(WHEN_TEXT[p.status as IncomingStatus] ?? 'o.inc.consentedAt')}：{formatDateTime(p.updated_at)}
        </span>
      </div>
      {p.note ? <div>{t('o.inc.note', { note: p.note })}</div> : null}
      {p.decline_reason ? <div data-testid="incoming-decline-reason">{t('o.inc.declineReasonShown', { reason: p.decline_reason })}</div> : null}
      <div>
        {t('o.res.shared')}：{(p.shared ?? []).map((s) => label('shared', s)).join(lang === 'en' ? ', ' : '、')}
      </div>
      <Space wrap style={{ marginTop: 8 }}>
        <Button onClick={() => setOpen((x) => !x)} data-testid="incoming-packet-toggle">
          {t(open ? 'o.inc.hidePacket' : 'o.inc.viewPacket')}
        </Button>
        {p.status === 'consented' ? (
          <Popconfirm
            title={t('o.inc.acceptConfirm', { company: p.company_name })}
            onConfirm={accept}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
            okButtonProps={{ 'data-testid': 'incoming-accept-confirm' }}
          >
            <Button type="primary" loading={busy} data-testid="incoming-accept">
              {t('o.inc.accept')}
            </Button>
          </Popconfirm>
        ) : null}
        {p.status === 'consented' ? (
          <Button danger onClick={() => setDeclining(true)} data-testid="incoming-decline">
            {t('o.inc.decline')}
          </Button>
        ) : null}
        {p.new_residency_id ? (
          <Link to={`/residencies/${p.new_residency_id}`} data-testid="incoming-new-residency">
            {t('o.inc.openResidency', { carrier: promotionCarrierName(lang, p, 'to') })}
          </Link>
        ) : null}
      </Space>
      {open ? (
        <div style={{ marginTop: 12 }}>
          <PromotionPacketCard residencyId={p.residency_id} />
        </div>
      ) : null}
      {declining ? (
        <DeclinePromotionModal
          promotion={p}
          onClose={() => setDeclining(false)}
          onDone={() => {
            setDeclining(false);
            promotionsChanged();
            onChange();
          }}
        />
      ) : null}
    </List.Item>
  );
}

/** DECLINE_REASON_MAX is the longest reason the API takes, in characters. */
const DECLINE_REASON_MAX = 1000;

/**
 * DeclinePromotionModal asks the receiving carrier why it declines (the
 * sending carrier and the company read it) and declines; the company stays
 * at the sending carrier.
 */
export function DeclinePromotionModal({ promotion: p, onClose, onDone }: { promotion: Promotion; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = async ({ reason }: { reason: string }) => {
    setSaving(true);
    setProblem(undefined);
    try {
      await declinePromotion(p.residency_id, reason.trim());
      message.success(t('o.inc.declined'));
      onDone();
    } catch (e) {
      const rest = e instanceof ApiError && e.fields.length > 0 ? applyProblemToForm(form, e, ['reason'], t) : [];
      setProblem(e instanceof ApiError && e.fields.length > 0 ? [e.message, ...rest].join(' · ') : errorText(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('o.inc.declineTitle', { company: p.company_name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('o.inc.decline')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: saving, 'data-testid': 'incoming-decline-submit' }}
    >
      <Typography.Paragraph type="secondary">{t('o.inc.declineHint')}</Typography.Paragraph>
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="incoming-decline-error" /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('o.inc.declineReason')}
          rules={[
            { required: true, whitespace: true, message: t('o.inc.declineReasonRequired') },
            { max: DECLINE_REASON_MAX, message: t('o.inc.declineReasonTooLong', { max: DECLINE_REASON_MAX }) },
          ]}
        >
          <Input.TextArea rows={3} maxLength={DECLINE_REASON_MAX} showCount data-testid="incoming-decline-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** PacketProfile is the company profile as the packet carries it (events.CompanyV1). */
interface PacketProfile {
  name_zh?: string;
  name_en?: string;
  uscc?: string;
  provisional_id?: string;
  industry_code?: string;
  tech_field?: string;
  founded_on?: string;
}
interface PacketMilestone {
  milestone_id: string;
  title_zh: string;
  title_en?: string;
  verified_on?: string;
  carrier?: { name_zh?: string; name_en?: string };
}
/** PacketDocument is one verified document as the packet lists it (app.documentItems). */
interface PacketDocument {
  document_id: string;
  type: string;
  filename?: string;
  verified_at?: string;
}
interface PacketChainItem {
  carrier_name: string;
  carrier_kind: string;
  status: string;
  admitted_on: string;
  ended_on?: string;
}
/** HandoffPacket is what the incubatees service writes at consent (app.HandoffPacket). */
export interface HandoffPacket {
  snapshot_at?: string;
  profile?: PacketProfile;
  latest_metrics?: { period: string; metrics: Record<string, MetricValue> } | null;
  milestones?: PacketMilestone[];
  documents?: PacketDocument[];
  chain?: PacketChainItem[];
}

/** PromotionPacketCard loads a residency's promotion and shows its handoff packet. */
export function PromotionPacketCard({ residencyId }: { residencyId: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useAsync((signal) => getPromotion(residencyId, signal), [residencyId]);
  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  if (!data) return <Skeleton active paragraph={{ rows: 3 }} />;
  return (
    <Card size="small" title={t('o.packet.title')} data-testid="promotion-packet">
      <PromotionPacket promotion={data} />
    </Card>
  );
}

/**
 * PromotionPacket shows a handoff packet: the profile, the latest metrics,
 * the ladder (read from the company, which the receiving carrier may read
 * once the company consented), the verified milestones, the verified
 * documents (kind, file name, when verified) and the chain.
 */
export function PromotionPacket({ promotion }: { promotion: Promotion }) {
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const packet = (promotion.packet ?? {}) as HandoffPacket;
  const shared = promotion.shared ?? [];
  const ladder = useAsync((signal) => listLadder(promotion.company_id, signal).catch(() => null), [promotion.company_id]);
  const pr = packet.profile ?? {};
  const metrics = packet.latest_metrics;
  // A ladder step or status this console has no words for shows nothing rather than a key.
  const known = (key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback);
  const named = (n: { name_zh?: string; name_en?: string } | undefined) => localizedName(lang, { name_zh: n?.name_zh ?? '', name_en: n?.name_en ?? '' });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {packet.snapshot_at ? <Typography.Text type="secondary">{t('o.packet.snapshotAt', { at: formatDateTime(packet.snapshot_at) })}</Typography.Text> : null}
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} title={t('o.packet.profile')} data-testid="packet-profile">
        <Descriptions.Item label={t('o.packet.name')}>{named(pr) || promotion.company_name}</Descriptions.Item>
        <Descriptions.Item label={t('o.packet.uscc')}>{pr.uscc || pr.provisional_id || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('o.res.industry')}>{pr.industry_code ? <IndustryText code={pr.industry_code} /> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('o.packet.foundedOn')}>{pr.founded_on || '—'}</Descriptions.Item>
        {pr.tech_field ? <Descriptions.Item label={t('o.packet.techField')}>{pr.tech_field}</Descriptions.Item> : null}
      </Descriptions>

      <div data-testid="packet-metrics">
        <Typography.Title level={5}>{metrics ? t('o.packet.metrics', { period: metrics.period }) : label('shared', 'latest_metrics')}</Typography.Title>
        {!shared.includes('latest_metrics') ? (
          <Typography.Text type="secondary">{t('o.packet.notShared')}</Typography.Text>
        ) : !metrics ? (
          <Typography.Text type="secondary">{t('o.packet.noMetrics')}</Typography.Text>
        ) : (
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={METRICS.filter((m) => metrics.metrics?.[m.key] !== undefined)}
            columns={[
              { title: t('o.packet.metric'), key: 'k', render: (_: unknown, m) => label('metric', m.key) },
              { title: t('o.packet.value'), key: 'v', render: (_: unknown, m) => metricText(metrics.metrics[m.key], m.kind === 'money', t) },
            ]}
          />
        )}
      </div>

      <div data-testid="packet-ladder">
        <Typography.Title level={5}>{t('o.packet.ladder')}</Typography.Title>
        {ladder.loading && !ladder.data ? (
          <Skeleton active paragraph={{ rows: 1 }} />
        ) : (ladder.data?.items ?? []).length === 0 ? (
          <Typography.Text type="secondary">{t('o.packet.noLadder')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={ladder.data?.items ?? []}
            renderItem={(s) => (
              <List.Item>
                {known(`s.ladderStep.${s.step}`, s.step)} · {s.date}
                {s.certificate_no ? ` · ${s.certificate_no}` : ''} · {known(`s.ladderStatus.${s.status}`, '')}
              </List.Item>
            )}
          />
        )}
      </div>

      <div data-testid="packet-milestones">
        <Typography.Title level={5}>{t('o.packet.milestones')}</Typography.Title>
        {!shared.includes('milestones') ? (
          <Typography.Text type="secondary">{t('o.packet.notShared')}</Typography.Text>
        ) : (packet.milestones ?? []).length === 0 ? (
          <Typography.Text type="secondary">{t('o.packet.noMilestones')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={packet.milestones ?? []}
            renderItem={(m) => (
              <List.Item>
                {lang === 'en' && m.title_en ? m.title_en : m.title_zh} · {named(m.carrier)} · {m.verified_on}
              </List.Item>
            )}
          />
        )}
      </div>

      <div data-testid="packet-documents">
        <Typography.Title level={5}>{t('o.packet.documents')}</Typography.Title>
        {!shared.includes('documents') ? (
          <Typography.Text type="secondary">{t('o.packet.notShared')}</Typography.Text>
        ) : (packet.documents ?? []).length === 0 ? (
          <Typography.Text type="secondary">{t('o.packet.noDocuments')}</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={packet.documents ?? []}
            renderItem={(d) => (
              <List.Item data-testid="packet-document">
                <Space wrap size={[6, 2]}>
                  <Typography.Text strong>{known(`d.type.${d.type}`, known('d.type.other', ''))}</Typography.Text>
                  {d.filename ? <span>{d.filename}</span> : null}
                  {d.verified_at ? <span style={{ color: '#888' }}>{t('o.packet.verifiedAt', { at: formatDateTime(d.verified_at) })}</span> : null}
                </Space>
              </List.Item>
            )}
          />
        )}
      </div>

      {packet.chain?.length ? (
        <div data-testid="packet-chain">
          <Typography.Title level={5}>{t('o.res.chain')}</Typography.Title>
          <List
            size="small"
            dataSource={packet.chain}
            renderItem={(c) => (
              <List.Item>
                <Space wrap size={[6, 2]}>
                  {c.carrier_name}
                  <KindTag kind={c.carrier_kind as CarrierKind} />
                  <OpStatusTag kind="resStatus" status={c.status} />
                  <span style={{ color: '#888' }}>
                    {c.admitted_on}
                    {c.ended_on ? ` – ${c.ended_on}` : ''}
                  </span>
                </Space>
              </List.Item>
            )}
          />
        </div>
      ) : null}
    </Space>
  );
}
