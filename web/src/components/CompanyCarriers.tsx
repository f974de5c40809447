import { Card, Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { CarrierKind } from '../api/carriers';
import { ApiError } from '../api/client';
import { companyChain, isOpenResidency, type Residency } from '../api/residencies';
import { useI18n } from '../i18n';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { OpStatusTag } from '../pages/operator/common';
import { ErrorAlert } from './ErrorAlert';
import { KindTag } from './Tags';

/**
 * CompanyCarriers lists the carriers a company is in and was in — its chain
 * history, oldest first — with each residency's status and dates, and a link
 * to the residency for those who may open it. A viewer the service does not
 * show the chain to (403/404) sees nothing rather than an error.
 */
export function CompanyCarriers({ companyId, linkResidencies = true }: { companyId: string; linkResidencies?: boolean }) {
  const { t, lang } = useI18n();
  const { data, error, loading, reload } = useAsync(
    async (signal) => {
      try {
        const chain = await companyChain(companyId, signal);
        return [...chain.items].sort((a, b) => a.admitted_on.localeCompare(b.admitted_on));
      } catch (e) {
        if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return null;
        throw e;
      }
    },
    [companyId],
  );
  if (data === null) return null;
  return (
    <Card title={t('company.carriers')} data-testid="company-carriers">
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Residency>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data ?? []}
        locale={{ emptyText: t('company.carriersEmpty') }}
        columns={[
          {
            key: 'carrier',
            title: t('o.res.carrier'),
            render: (_, r) => {
              const name = localizedName(lang, { name_zh: r.carrier_name, name_en: r.carrier_name_en });
              return linkResidencies ? (
                <Link to={`/residencies/${r.id}`} data-testid="company-carrier-name">
                  {name}
                </Link>
              ) : (
                <span data-testid="company-carrier-name">{name}</span>
              );
            },
          },
          { key: 'kind', title: t('carrier.kind'), render: (_, r) => <KindTag kind={r.carrier_kind as CarrierKind} /> },
          {
            key: 'status',
            title: t('o.common.status'),
            render: (_, r) => (
              <>
                <OpStatusTag kind="resStatus" status={r.status} testId="company-carrier-status" />
                {isOpenResidency(r.status) ? <Tag color="green">{t('company.carrierNow')}</Tag> : null}
              </>
            ),
          },
          { key: 'admitted', title: t('o.res.admittedOn'), dataIndex: 'admitted_on' },
          { key: 'movedIn', title: t('o.res.movedInOn'), render: (_, r) => r.moved_in_on || '—' },
          { key: 'ended', title: t('o.res.endedOn'), render: (_, r) => r.ended_on || '—' },
        ]}
      />
    </Card>
  );
}
