import { Alert, Card, Table, Typography, type TableProps } from 'antd';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { DOCUMENT_STATUSES, DOCUMENT_TYPE_CODES, listDocumentTypes, listRegionDocuments, type Document } from '../api/documents';
import { listCarriers } from '../api/carriers';
import { isPlatformAdmin, regionsOf } from '../auth/roles';
import { useSession } from '../auth/session';
import { documentColumns, useDocTypeName } from '../components/documentParts';
import { ErrorAlert } from '../components/ErrorAlert';
import { ListToolbar } from '../components/ListToolbar';
import { useI18n } from '../i18n';
import { localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { useCompanies } from '../lib/useCompanies';

const PAGE_SIZE = 20;

/**
 * RegionDocumentsPage (资料目录) is the district's register of a region's
 * documents: metadata only — carrier, company, type, status, version, file
 * name, size and upload time — with carrier, type, status and file-name
 * filters and paging kept in the URL. The district may not download, so
 * there are no links to the files and no actions.
 */
export function RegionDocumentsPage() {
  const { regionId = '' } = useParams();
  const { t, lang } = useI18n();
  const { me, regionId: current, setRegionId } = useSession();
  const assignments = me?.assignments ?? [];
  const [sp, setSp] = useSearchParams();
  const carrier = sp.get('carrier') ?? undefined;
  const type = sp.get('type') ?? undefined;
  const status = sp.get('status') ?? undefined;
  const q = sp.get('q') ?? undefined;
  const page = Number(sp.get('page')) || 1;

  // Follow the region in the header only where the user may pick it there.
  const pickable = isPlatformAdmin(assignments) || regionsOf(assignments).some((r) => r.id === regionId);
  useEffect(() => {
    if (regionId && pickable && regionId !== current) setRegionId(regionId);
  }, [regionId, pickable, current, setRegionId]);

  const carriers = useAsync(
    async (signal) => (await listCarriers(regionId, { page_size: 100, sort: 'name' }, signal).catch(() => undefined))?.items ?? [],
    [regionId],
  );
  const types = useAsync(
    async (signal) => (await listDocumentTypes(regionId, signal).catch(() => undefined))?.items,
    [regionId],
  );
  const typeName = useDocTypeName(types.data);
  const typeCodes: string[] = types.data?.length ? types.data.map((d) => d.code) : [...DOCUMENT_TYPE_CODES];

  const { data, error, loading, reload } = useAsync(
    (signal) => listRegionDocuments(regionId, { carrier, type, status, q, page, page_size: PAGE_SIZE }, signal),
    [regionId, carrier, type, status, q, page],
  );
  const companies = useCompanies((data?.items ?? []).map((d) => d.company_id));
  const carrierName = (id: string) => {
    const c = carriers.data?.find((x) => x.id === id);
    return (c && localizedName(lang, c)) || id;
  };

  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const col = documentColumns(t, lang, typeName);
  const columns: TableProps<Document>['columns'] = [
    {
      title: t('d.register.carrier'),
      key: 'carrier',
      render: (_: unknown, d) =>
        d.carrier_id ? (
          <Link to={`/carriers/${d.carrier_id}`} data-testid="document-carrier">
            {carrierName(d.carrier_id)}
          </Link>
        ) : (
          <Typography.Text type="secondary" data-testid="document-carrier">
            {t('d.register.noCarrier')}
          </Typography.Text>
        ),
    },
    col.company(t('d.register.company'), companies),
    col.type,
    col.status(false),
    col.version,
    col.filename(240),
    col.size,
    col.uploadedAt,
  ];

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }} data-testid="register-title">{t('d.register.title')}</Typography.Title>}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('d.register.hint')} data-testid="register-hint" />
      <ListToolbar
        search={{ value: q, placeholder: t('d.list.search'), onSearch: (v) => update({ q: v }), testId: 'register-search' }}
        filters={[
          {
            key: 'carrier',
            value: carrier,
            placeholder: t('d.register.filterCarrier'),
            minWidth: 220,
            onChange: (v) => update({ carrier: v }),
            options: [
              ...(carriers.data ?? []).map((c) => ({ value: c.id, label: localizedName(lang, c) || c.id })),
              ...(carrier && !carriers.data?.some((c) => c.id === carrier) ? [{ value: carrier, label: carrier }] : []),
            ],
            testId: 'register-carrier-filter',
          },
          {
            key: 'type',
            value: type,
            placeholder: t('d.list.filterType'),
            minWidth: 180,
            onChange: (v) => update({ type: v }),
            options: typeCodes.map((c) => ({ value: c, label: typeName(c) })),
            testId: 'register-type-filter',
          },
          {
            key: 'status',
            value: status,
            placeholder: t('d.list.filterStatus'),
            minWidth: 140,
            onChange: (v) => update({ status: v }),
            options: DOCUMENT_STATUSES.map((s) => ({ value: s, label: t(`d.status.${s}`) })),
            testId: 'register-status-filter',
          },
        ]}
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Document>
        data-testid="register-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('d.list.empty') }}
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
