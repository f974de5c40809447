import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Progress, Space, Table, Typography, type TableProps } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import {
  carrierDocumentUsage,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPE_CODES,
  listCarrierDocuments,
  listDocumentTypes,
  verifyDocument,
  type Document,
} from '../../api/documents';
import { getCarrier } from '../../api/carriers';
import { CompanySelect } from '../../components/CompanySelect';
import { AuditButton } from '../../components/DocumentAudit';
import { documentColumns, DownloadLink, ReturnModal, useDocTypeName, VersionList } from '../../components/documentParts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListToolbar } from '../../components/ListToolbar';
import { useI18n } from '../../i18n';
import { formatBytes } from '../../lib/files';
import { errorText } from '../../lib/formErrors';
import { useAsync } from '../../lib/useAsync';
import { useCompanies } from '../../lib/useCompanies';
import { CarrierHeading } from './CarrierHeading';
import { useCanOperate } from './common';

const PAGE_SIZE = 20;
/** The list opens on what awaits verification; "all" in the URL lifts the status filter. */
const DEFAULT_STATUS = 'uploaded';
const ALL = 'all';

/**
 * DocumentsPage (资料审核) lists what companies handed to a carrier, by
 * default those awaiting verification, with type, company and file-name
 * filters and paging kept in the URL. The carrier's park staff download,
 * verify and return (with a comment) from the list; district roles read the
 * same list without downloads or actions. The carrier's storage use sits on
 * top when the caller may see it.
 */
export function DocumentsPage() {
  const { carrierId = '' } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const writable = useCanOperate(carrierId);
  const [sp, setSp] = useSearchParams();
  const statusParam = sp.get('status') ?? DEFAULT_STATUS;
  const status = statusParam === ALL ? undefined : statusParam;
  const type = sp.get('type') ?? undefined;
  const company = sp.get('company') ?? undefined;
  const q = sp.get('q') ?? undefined;
  const page = Number(sp.get('page')) || 1;
  const [returning, setReturning] = useState<Document | null>(null);
  const [verifying, setVerifying] = useState<string | null>(null);

  const carrier = useAsync((signal) => getCarrier(carrierId, signal), [carrierId]);
  const regionId = carrier.data?.region_id;
  const types = useAsync(
    async (signal) => (regionId ? (await listDocumentTypes(regionId, signal).catch(() => undefined))?.items : undefined),
    [regionId],
  );
  const typeName = useDocTypeName(types.data);
  const typeCodes: string[] = types.data?.length ? types.data.map((d) => d.code) : [...DOCUMENT_TYPE_CODES];

  const { data, error, loading, reload } = useAsync(
    (signal) => listCarrierDocuments(carrierId, { status, type, company, q, page, page_size: PAGE_SIZE }, signal),
    [carrierId, status, type, company, q, page],
  );
  const companies = useCompanies([...(data?.items ?? []).map((d) => d.company_id), ...(company ? [company] : [])]);

  const update = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setSp(next, { replace: true });
  };

  const verify = async (d: Document) => {
    setVerifying(d.id);
    try {
      await verifyDocument(d.id);
      message.success(t('d.slots.verifiedMsg', { type: typeName(d.type) }));
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setVerifying(null);
    }
  };

  const col = documentColumns(t, lang, typeName);
  const columns: TableProps<Document>['columns'] = [
    col.company(t('d.review.company'), companies),
    col.type,
    col.status(true),
    col.version,
    col.filename(240),
    col.size,
    col.uploadedAt,
    {
      title: t('d.list.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <Space size={4} wrap>
          {writable ? (
            <DownloadLink doc={d} version={d.version} testId="document-download">
              {t('d.download')}
            </DownloadLink>
          ) : null}
          {writable && d.status === 'uploaded' ? (
            <Button
              size="small"
              type="primary"
              icon={<CheckOutlined />}
              loading={verifying === d.id}
              onClick={() => verify(d)}
              data-testid="document-verify"
            >
              {t('d.slots.verify')}
            </Button>
          ) : null}
          {writable && (d.status === 'uploaded' || d.status === 'verified') ? (
            <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setReturning(d)} data-testid="document-return">
              {t('d.slots.return')}
            </Button>
          ) : null}
          <AuditButton doc={d} />
        </Space>
      ),
    },
  ];

  return (
    <Card>
      <CarrierHeading carrierId={carrierId} titleKey="d.review.title" />
      <StorageUsage carrierId={carrierId} />
      {!writable ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('d.review.readOnly')} data-testid="documents-read-only" />
      ) : null}
      <ListToolbar
        search={{ value: q, placeholder: t('d.list.search'), onSearch: (v) => update({ q: v }), testId: 'documents-search' }}
        filters={[
          {
            key: 'status',
            value: statusParam === ALL || (DOCUMENT_STATUSES as readonly string[]).includes(statusParam) ? statusParam : undefined,
            placeholder: t('d.list.filterStatus'),
            allowClear: false,
            minWidth: 140,
            // The default (uploaded) is no parameter at all, so a plain link opens the queue.
            onChange: (v) => update({ status: v === DEFAULT_STATUS ? undefined : v }),
            options: [
              { value: 'uploaded', label: t('d.review.pending') },
              ...DOCUMENT_STATUSES.filter((s) => s !== 'uploaded').map((s) => ({ value: s, label: t(`d.status.${s}`) })),
              { value: ALL, label: t('d.review.allStatuses') },
            ],
            testId: 'documents-status-filter',
          },
          {
            key: 'type',
            value: type,
            placeholder: t('d.list.filterType'),
            minWidth: 180,
            onChange: (v) => update({ type: v }),
            options: typeCodes.map((c) => ({ value: c, label: typeName(c) })),
            testId: 'documents-type-filter',
          },
        ]}
      >
        <CompanySelect
          regionId={regionId}
          value={company}
          selected={company ? companies[company] : undefined}
          onChange={(v) => update({ company: v })}
          placeholder={t('d.review.filterCompany')}
          testId="documents-company-filter"
        />
      </ListToolbar>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Document>
        data-testid="documents-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: status === DEFAULT_STATUS ? t('d.review.emptyPending') : t('d.list.empty') }}
        expandable={{
          expandedRowRender: (d) => <VersionList key={`${d.id}-${d.version}-${d.status}`} documentId={d.id} canDownload={writable} />,
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
      {returning ? (
        <ReturnModal
          doc={returning}
          typeName={typeName(returning.type)}
          onClose={() => setReturning(null)}
          onReturned={() => {
            message.success(t('d.slots.returnedMsg', { type: typeName(returning.type) }));
            setReturning(null);
            reload();
          }}
        />
      ) : null}
    </Card>
  );
}

/** StorageUsage shows the carrier's stored bytes against its quota; nothing when the caller may not see it. */
function StorageUsage({ carrierId }: { carrierId: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useAsync((signal) => carrierDocumentUsage(carrierId, signal), [carrierId]);
  if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null;
  if (error) {
    return (
      <div style={{ marginBottom: 12 }}>
        <ErrorAlert error={error} onRetry={reload} />
      </div>
    );
  }
  if (!data) return null;
  const used = data.used_bytes ?? 0;
  const quota = data.quota_bytes ?? 0;
  const percent = quota > 0 ? Math.min(100, Math.round((used / quota) * 1000) / 10) : 0;
  return (
    <div style={{ marginBottom: 12, maxWidth: 480 }} data-testid="documents-usage">
      <Typography.Text type="secondary" data-testid="documents-usage-text">
        {quota > 0
          ? t('d.review.usage', { used: formatBytes(used), quota: formatBytes(quota) })
          : t('d.review.usageNoQuota', { used: formatBytes(used) })}
      </Typography.Text>
      {quota > 0 ? (
        <Progress
          percent={percent}
          size="small"
          status={used >= quota ? 'exception' : 'normal'}
          strokeColor={used < quota && percent >= 80 ? '#fa8c16' : undefined}
          data-testid="documents-usage-bar"
          aria-label={t('d.review.usageLabel')}
        />
      ) : null}
    </div>
  );
}
