import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Form, Modal, Popconfirm, Select, Space, Table, Typography, type TableProps } from 'antd';
import type { ButtonProps } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  deleteDocument,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPE_CODES,
  listCompanyDocuments,
  listDocumentTypes,
  type Document,
  type DocumentType,
} from '../api/documents';
import { useI18n } from '../i18n';
import { errorText } from '../lib/formErrors';
import { useAsync } from '../lib/useAsync';
import { AuditButton } from './DocumentAudit';
import { DocumentUpload } from './DocumentUpload';
import { documentColumns, DownloadLink, useCanDownload, useDocTypeName, VersionList } from './documentParts';
import { ErrorAlert } from './ErrorAlert';
import { ListToolbar } from './ListToolbar';

const PAGE_SIZES = [10, 20, 50, 100];

/** The list's URL parameters; prefixed so they sit beside a page's own. */
const P = { type: 'doc_type', status: 'doc_status', q: 'doc_q', page: 'doc_page', size: 'doc_page_size' } as const;

/**
 * CompanyDocuments is a company's 资料 tab: its documents with type, status,
 * latest version, file, size and upload time, each row opening its versions
 * and its 操作记录 (audit trail); filters for type and status and server-side
 * paging, kept in the URL. With canUpload (the company's own members) it
 * uploads and deletes. Downloads show only to those who may fetch the bytes
 * (not the district, which reads metadata).
 */
export function CompanyDocuments({ companyId, regionId, canUpload }: { companyId: string; regionId?: string; canUpload: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [sp, setSp] = useSearchParams();
  const int = (v: string | null, d: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : d;
  };
  const type = sp.get(P.type) ?? undefined;
  const status = sp.get(P.status) ?? undefined;
  const q = sp.get(P.q) ?? undefined;
  const page = int(sp.get(P.page), 1);
  const pageSize = int(sp.get(P.size), 20);
  const [uploading, setUploading] = useState(false);
  const mayDownload = useCanDownload();
  const canDownload = (d: Pick<Document, 'company_id' | 'carrier_id'>) => canUpload || mayDownload(d);

  const types = useAsync(
    async (signal) => (regionId ? (await listDocumentTypes(regionId, signal).catch(() => undefined))?.items : undefined),
    [regionId],
  );
  const typeName = useDocTypeName(types.data);
  const typeCodes: string[] = types.data?.length ? types.data.map((d) => d.code) : [...DOCUMENT_TYPE_CODES];

  const { data, error, loading, reload } = useAsync(
    (signal) => listCompanyDocuments(companyId, { type, status, q, page, page_size: pageSize }, signal),
    [companyId, type, status, q, page, pageSize],
  );

  const update = (patch: Partial<Record<keyof typeof P, string | number | undefined>>, resetPage = true) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      const name = P[k as keyof typeof P];
      if (v === undefined || v === '') next.delete(name);
      else next.set(name, String(v));
    }
    if (resetPage) next.delete(P.page);
    setSp(next, { replace: true });
  };

  const remove = async (d: Document) => {
    try {
      await deleteDocument(d.id);
      message.success(t('d.list.deletedMsg', { name: d.filename }));
      reload();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const col = documentColumns(t, lang, typeName);
  const columns: TableProps<Document>['columns'] = [
    col.type,
    col.status(true),
    col.version,
    col.filename(260),
    col.size,
    col.uploadedAt,
    {
      title: t('d.list.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <Space size={8}>
          {canDownload(d) ? (
            <DownloadLink doc={d} version={d.version} testId="document-download">
              {t('d.download')}
            </DownloadLink>
          ) : null}
          {canUpload && d.status !== 'verified' ? (
            <Popconfirm
              title={t('d.list.deleteConfirm')}
              okText={t('d.list.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true, 'data-testid': 'document-delete-confirm' } as ButtonProps}
              onConfirm={() => remove(d)}
            >
              <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid="document-delete">
                {t('d.list.delete')}
              </Button>
            </Popconfirm>
          ) : null}
          <AuditButton doc={d} />
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="company-documents">
      <ListToolbar
        search={{ value: q, placeholder: t('d.list.search'), onSearch: (v) => update({ q: v }), testId: 'documents-search' }}
        filters={[
          {
            key: 'type',
            value: type,
            placeholder: t('d.list.filterType'),
            minWidth: 180,
            onChange: (v) => update({ type: v }),
            options: typeCodes.map((c) => ({ value: c, label: typeName(c) })),
            testId: 'documents-type-filter',
          },
          {
            key: 'status',
            value: status,
            placeholder: t('d.list.filterStatus'),
            minWidth: 140,
            onChange: (v) => update({ status: v }),
            options: DOCUMENT_STATUSES.map((s) => ({ value: s, label: t(`d.status.${s}`) })),
            testId: 'documents-status-filter',
          },
        ]}
      >
        {canUpload ? (
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading(true)} data-testid="documents-upload">
            {t('d.list.upload')}
          </Button>
        ) : null}
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
        locale={{ emptyText: t('d.list.empty') }}
        expandable={{
          expandedRowRender: (d) => (
            <VersionList key={`${d.id}-${d.version}-${d.status}`} documentId={d.id} canDownload={canDownload(d)} />
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, s) => update({ page: p, size: s }, false),
        }}
      />
      {uploading ? (
        <UploadModal
          companyId={companyId}
          types={types.data}
          typeCodes={typeCodes}
          onClose={() => setUploading(false)}
          onUploaded={reload}
        />
      ) : null}
    </div>
  );
}

/** UploadModal picks a type and uploads one or more files as new documents of it. */
function UploadModal({
  companyId,
  types,
  typeCodes,
  onClose,
  onUploaded,
}: {
  companyId: string;
  types?: DocumentType[];
  typeCodes: string[];
  onClose: () => void;
  onUploaded: () => void;
}) {
  const { t } = useI18n();
  const typeName = useDocTypeName(types);
  const [type, setType] = useState<string>();
  return (
    <Modal
      open
      title={t('d.list.uploadTitle')}
      onCancel={onClose}
      footer={
        <Button onClick={onClose} data-testid="documents-upload-close">
          {t('d.list.close')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('d.list.chooseType')} required>
          <Select
            value={type}
            onChange={(v: string) => setType(v)}
            placeholder={t('d.list.chooseType')}
            options={typeCodes.map((c) => ({ value: c, label: typeName(c) }))}
            data-testid="documents-upload-type"
          />
        </Form.Item>
      </Form>
      {type ? (
        <DocumentUpload
          key={type}
          companyId={companyId}
          type={type}
          multiple
          documentType={types?.find((d) => d.code === type)}
          testId="documents-uploader"
          onUploaded={onUploaded}
        />
      ) : (
        <Typography.Text type="secondary">{t('d.list.chooseTypeFirst')}</Typography.Text>
      )}
    </Modal>
  );
}
