import { Alert, App, Button, Card, Empty, Popconfirm, Space, Spin, Timeline, Typography } from 'antd';
import { useState } from 'react';
import type { ButtonProps } from 'antd';
import { ApiError } from '../../api/client';
import { companyChain, consentPromotion, getPromotion, isOpenResidency, type Promotion, type Residency } from '../../api/residencies';
import { type Company, listMyCompanies } from '../../api/companies';
import type { CarrierKind } from '../../api/carriers';
import { CompanyEnrolmentOffers } from '../../components/EnrolmentOffers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KindTag } from '../../components/Tags';
import { isMessageKey, useI18n, type MessageKey } from '../../i18n';
import { errorText } from '../../lib/formErrors';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CodeTag, CompanyShell, useLabel } from './CompanyShell';

/**
 * ChainPage is the company's own chain history: every residency, oldest
 * first, and, for an open residency with a promotion proposed, the consent.
 */
export function ChainPage() {
  return <CompanyShell section="chain">{(company) => <Chain company={company} />}</CompanyShell>;
}

/**
 * END_REASON_CODES are the reasons the incubatees service records as codes,
 * by how the residency ended: a graduation's is one of the rule pack's
 * (domain.GraduationReasons), a promotion's is "promoted". An exit's reason
 * is the carrier's own words.
 */
const END_REASON_CODES: Record<string, readonly string[]> = {
  graduated: ['high_tech_certificate', 'financing', 'revenue', 'acquired_or_listed', 'other'],
  promoted: ['promoted'],
};

/** useEndReason names a known reason code in the UI language and shows free text as written. */
function useEndReason() {
  const label = useLabel();
  return (r: Pick<Residency, 'status' | 'outcome' | 'reason'>): string => {
    const reason = r.reason ?? '';
    const codes = END_REASON_CODES[r.status] ?? END_REASON_CODES[r.outcome ?? ''] ?? [];
    return codes.includes(reason) ? label('s.endReason', reason) : reason;
  };
}

/** loadPromotions asks each open residency for its promotion; none is a 404. */
async function loadPromotions(rs: readonly Residency[], signal: AbortSignal): Promise<Record<string, Promotion>> {
  const out: Record<string, Promotion> = {};
  await Promise.all(
    rs
      .filter((r) => isOpenResidency(r.status))
      .map(async (r) => {
        try {
          out[r.id] = await getPromotion(r.id, signal);
        } catch (e) {
          if (!(e instanceof ApiError && (e.status === 404 || e.status === 403))) throw e;
        }
      }),
  );
  return out;
}

function Chain({ company }: { company: Company }) {
  const { t } = useI18n();
  const mine = useAsync((signal) => listMyCompanies(signal), []);
  const isAdmin = (mine.data?.items ?? []).some((m) => m.company.id === company.id && m.role === 'company_admin' && m.status === 'active');
  const { data, error, loading, reload } = useAsync(async (signal) => {
    const chain = await companyChain(company.id, signal);
    const items = [...chain.items].sort((a, b) => a.admitted_on.localeCompare(b.admitted_on));
    return { items, promotions: await loadPromotions(items, signal) };
  }, [company.id]);

  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  if (loading && !data) return <Spin />;
  const items = data?.items ?? [];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <CompanyEnrolmentOffers companyId={company.id} isAdmin={isAdmin} onAnswered={reload} />
      <Typography.Text type="secondary">{t('s.chain.hint')}</Typography.Text>
      {items.length === 0 ? (
        <Empty data-testid="chain-empty" description={t('s.chain.empty')} />
      ) : (
        <Timeline
          data-testid="chain-timeline"
          items={items.map((r) => ({
            color: isOpenResidency(r.status) ? 'green' : r.status === 'promoted' ? 'blue' : 'gray',
            children: <ResidencyItem r={r} promotion={data?.promotions[r.id]} onChange={reload} />,
          }))}
        />
      )}
    </Space>
  );
}

function ResidencyItem({ r, promotion, onChange }: { r: Residency; promotion?: Promotion; onChange: () => void }) {
  const { t, lang } = useI18n();
  const endReason = useEndReason();
  return (
    <div data-testid="chain-item" data-residency-id={r.id}>
      <Space wrap size={[8, 4]}>
        <Typography.Text strong data-testid="chain-carrier">
          {localizedName(lang, { name_zh: r.carrier_name, name_en: r.carrier_name_en })}
        </Typography.Text>
        <KindTag kind={r.carrier_kind as CarrierKind} />
        <CodeTag prefix="s.residencyStatus" code={r.status} testId="chain-status" />
        {r.overstaying ? <CodeTag prefix="s.chain" code="overstaying" /> : null}
      </Space>
      <div>
        <Typography.Text type="secondary">
          {[
            t('s.chain.admittedOn', { date: r.admitted_on }),
            r.moved_in_on ? t('s.chain.movedIn', { date: r.moved_in_on, unit: r.unit ?? '' }) : '',
            r.area_m2 ? t('s.chain.area', { area: r.area_m2 }) : '',
            r.term_end_on ? t('s.chain.termEnd', { date: r.term_end_on }) : '',
            r.ended_on ? t('s.chain.ended', { date: r.ended_on }) : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Text>
      </div>
      {r.reason ? (
        <Typography.Text type="secondary" data-testid="chain-reason">
          {t('s.chain.reason', { reason: endReason(r) })}
        </Typography.Text>
      ) : null}
      {promotion ? <PromotionCard residency={r} promotion={promotion} onChange={onChange} /> : null}
    </div>
  );
}

function PromotionCard({ residency, promotion, onChange }: { residency: Residency; promotion: Promotion; onChange: () => void }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const consent = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await consentPromotion(residency.id);
      message.success(t('s.promotion.consented'));
      onChange();
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  // What travels, in words: the profile always, then what the proposal names.
  const shared = ['profile', ...(promotion.shared ?? []).filter((s) => s !== 'profile')].map((s) =>
    isMessageKey(`s.shared.${s}`) ? t(`s.shared.${s}` as MessageKey) : label('s.material', s),
  );
  const target = localizedName(lang, { name_zh: promotion.to_carrier_name, name_en: promotion.to_carrier_name_en });
  return (
    <Card size="small" style={{ marginTop: 8 }} title={t('s.promotion.title')} data-testid="promotion-card" extra={
      <CodeTag prefix="s.promotionStatus" code={promotion.status} testId="promotion-status" />
    }>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <span data-testid="promotion-target">
          {target
            ? t('s.promotion.proposedTo', { carrier: target, kind: label('kind', promotion.to_kind) })
            : t('s.promotion.proposed', { kind: label('kind', promotion.to_kind), order: promotion.to_chain_order })}
        </span>
        {promotion.note ? <span>{t('s.promotion.note', { note: promotion.note })}</span> : null}
        {promotion.status === 'declined' ? (
          <Alert
            type="warning"
            showIcon
            data-testid="promotion-declined"
            message={t('s.promotion.declined', { carrier: target || label('kind', promotion.to_kind), reason: promotion.decline_reason ?? '' })}
          />
        ) : null}
        <span>{t(promotion.status === 'proposed' ? 's.promotion.sharedWith' : 's.promotion.sharedDone', { carrier: target || label('kind', promotion.to_kind) })}</span>
        <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="promotion-shared">
          {shared.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
        {error ? <Alert type="error" showIcon message={error} data-testid="promotion-error" /> : null}
        {promotion.status === 'proposed' ? (
          <>
            <Typography.Text type="secondary">{t('s.promotion.consentHint')}</Typography.Text>
            <Popconfirm
              title={t('s.promotion.consentConfirm')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              okButtonProps={{ 'data-testid': 'promotion-consent-confirm' } as ButtonProps}
              onConfirm={consent}
            >
              <Button type="primary" loading={busy} data-testid="promotion-consent">
                {t('s.promotion.consent')}
              </Button>
            </Popconfirm>
          </>
        ) : null}
      </Space>
    </Card>
  );
}
