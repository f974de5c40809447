import { Card, Checkbox, Select, Table, Tag, Tooltip, type TableProps } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { listResidencies, RESIDENCY_STATUSES, type Residency } from '../../api/residencies';
import { OfferEnrolmentButton } from '../../components/EnrolmentOffers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IndustryText, useLabels } from '../../components/Tags';
import { useI18n } from '../../i18n';
import { INDUSTRY_SECTIONS } from '../../lib/industry';
import { localizedName } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { CarrierHeading } from './CarrierHeading';
import { OpStatusTag, useOpLabel } from './common';

const PAGE_SIZE = 20;

/** ResidentsPage lists a carrier's residencies, filtered by status, industry section and overstaying. */
export function ResidentsPage() {
  const { carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const label = useOpLabel();
  const labels = useLabels();
  const [sp, setSp] = useSearchParams();
  const status = sp.get('status') ?? undefined;
  const industry = sp.get('industry') ?? undefined;
  const overstaying = sp.get('overstaying') === 'true';
  const page = Number(sp.get('page')) || 1;

  const { data, error, loading, reload } = useAsync(
    (signal) =>
      listResidencies(carrierId, { status, industry, overstaying: overstaying || undefined, page, page_size: PAGE_SIZE }, signal),
    [carrierId, status, industry, overstaying, page],
  );

  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const columns: TableProps<Residency>['columns'] = [
    {
      title: t('o.res.company'),
      key: 'company',
      render: (_: unknown, r) => (
        <Link to={`/residencies/${r.id}`} data-testid="residency-link">
          {r.company_name || r.company_key}
        </Link>
      ),
    },
    { title: t('o.res.industry'), key: 'industry', responsive: ['md'], render: (_: unknown, r) => <IndustryText code={r.industry_code} /> },
    {
      title: t('o.common.status'),
      key: 'status',
      render: (_: unknown, r) => (
        <>
          <OpStatusTag kind="resStatus" status={r.status} testId="residency-status" />
          {r.overstaying ? (
            <Tag color="red" data-testid="residency-overstaying">
              {t('o.res.overstaying')}
            </Tag>
          ) : null}
          {r.concurrent?.length ? (
            <Tooltip
              title={r.concurrent.map((o) => (
                <div key={o.carrier_id}>
                  {t('o.res.concurrent', { carrier: localizedName(lang, { name_zh: o.carrier_name, name_en: o.carrier_name_en }), since: o.since })}
                </div>
              ))}
            >
              <Tag color="orange" data-testid="residency-concurrent-tag">
                {t('o.res.concurrentTag', { carriers: r.concurrent.map((o) => localizedName(lang, { name_zh: o.carrier_name, name_en: o.carrier_name_en })).join('、') })}
              </Tag>
            </Tooltip>
          ) : null}
        </>
      ),
    },
    { title: t('o.res.admittedOn'), dataIndex: 'admitted_on', key: 'admitted_on', responsive: ['lg'] },
    { title: t('o.res.movedInOn'), key: 'moved_in_on', render: (_: unknown, r) => r.moved_in_on || '—' },
    { title: t('o.res.termEndOn'), key: 'term_end_on', responsive: ['md'], render: (_: unknown, r) => r.term_end_on || '—' },
    { title: t('o.res.unit'), key: 'unit', responsive: ['lg'], render: (_: unknown, r) => r.unit || '—' },
  ];

  return (
    <Card>
      <CarrierHeading carrierId={carrierId} titleKey="o.res.pageTitle" />
      <div className="page-toolbar">
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('o.common.filterStatus')}
          value={status}
          onChange={(v?: string) => update({ status: v })}
          options={RESIDENCY_STATUSES.map((s) => ({ value: s, label: label('resStatus', s) }))}
          data-testid="residents-status-filter"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 240, maxWidth: '100%' }}
          placeholder={t('o.res.filterIndustry')}
          value={industry}
          onChange={(v?: string) => update({ industry: v })}
          options={INDUSTRY_SECTIONS.map((s) => ({ value: s, label: `${s} · ${labels.industry(s)}` }))}
          data-testid="residents-industry-filter"
        />
        <Checkbox
          checked={overstaying}
          onChange={(e) => update({ overstaying: e.target.checked ? 'true' : undefined })}
          data-testid="residents-overstaying-filter"
        >
          {t('o.res.overstayingOnly')}
        </Checkbox>
        <OfferEnrolmentButton carrierId={carrierId} />
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Residency>
        data-testid="residents-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
    </Card>
  );
}
