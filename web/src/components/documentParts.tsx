/**
 * Pieces shared by the documents UI: status tags, type names, the localized
 * text of an upload failure, who may download, a document's version list and
 * the operator's return-with-comment dialog.
 */
import { Alert, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { contentUrl, getDocument, returnDocument, type Document, type DocumentType, type Version } from '../api/documents';
import type { Assignment } from '../api/auth';
import type { Company } from '../api/companies';
import { carriersOf, isPlatformAdmin } from '../auth/roles';
import { useSession } from '../auth/session';
import { isMessageKey, useI18n, type Lang, type TFunc } from '../i18n';
import { formatBytes, formatMB } from '../lib/files';
import { errorText, fieldMessage } from '../lib/formErrors';
import { formatDateTime, localizedName } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { ErrorAlert } from './ErrorAlert';

const STATUS_COLORS: Record<string, string> = {
  empty: 'default',
  uploaded: 'blue',
  verified: 'green',
  returned: 'orange',
  deleted: 'default',
};

/** slotStatus is a slot's status as shown: "" and deleted documents count as empty. */
export function slotStatus(doc: Pick<Document, 'status'> | null | undefined): string {
  if (!doc || !doc.status || doc.status === 'deleted') return 'empty';
  return doc.status;
}

/** DocStatusTag shows 待上传 / 已上传 / 已核验 / 已退回. */
export function DocStatusTag({ status, testId }: { status: string; testId?: string }) {
  const { t } = useI18n();
  const s = status || 'empty';
  const key = `d.status.${s}`;
  return (
    <Tag color={STATUS_COLORS[s] ?? 'default'} data-testid={testId} data-status={s}>
      {isMessageKey(key) ? t(key) : s}
    </Tag>
  );
}

/**
 * useDocTypeName names a type code: the region's own name when the types are
 * loaded, else the console's name for the standard codes, else the code.
 */
export function useDocTypeName(types?: readonly DocumentType[]) {
  const { t, lang } = useI18n();
  return (code: string): string => {
    const dt = types?.find((x) => x.code === code);
    if (dt) {
      const n = lang === 'en' ? dt.name_en || dt.name_zh : dt.name_zh || dt.name_en;
      if (n) return n;
    }
    const key = `d.type.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
}

/**
 * uploadErrorText is the line shown under a failed file: the service's
 * localized detail (or title) and its field messages; our own words only
 * when the answer carried none (a proxy's 413 page, a lost connection).
 */
export function uploadErrorText(e: unknown, t: TFunc, docType?: DocumentType): string {
  if (!(e instanceof ApiError)) return errorText(e, t);
  if (e.status === 0) return t('error.network');
  const lines: string[] = [];
  const base = e.problem.detail || e.problem.title;
  // A size limit reads the same everywhere in the console: MB with one decimal.
  if (e.status === 413 && docType?.max_bytes) lines.push(t('d.error.tooLargeMax', { max: formatMB(docType.max_bytes) }));
  else if (base) lines.push(base);
  else if (e.status === 413) lines.push(t('d.error.tooLarge'));
  else if (e.status === 415) lines.push(t('d.error.typeNotAllowed'));
  else if (e.status === 503) lines.push(t('d.error.storage'));
  else lines.push(errorText(e, t));
  for (const f of e.fields) {
    const m = fieldMessage(f, t);
    if (!lines.includes(m)) lines.push(m);
  }
  return lines.join(' · ');
}

/**
 * canDownloadDocument: who may fetch a document's bytes — the company's own
 * members, the park staff of the carrier it was handed to, a platform admin.
 * District roles read metadata only (their downloads answer 403), so the
 * console shows them no download links. The server decides in the end.
 */
export function canDownloadDocument(as: readonly Assignment[], doc: Pick<Document, 'company_id' | 'carrier_id'>): boolean {
  if (isPlatformAdmin(as)) return true;
  const member = as.some(
    (a) => a.role === 'startup_member' && (a.domain_id === doc.company_id || a.domain === `company:${doc.company_id}`),
  );
  if (member) return true;
  return !!doc.carrier_id && carriersOf(as).some((c) => c.id === doc.carrier_id);
}

/** useCanDownload is canDownloadDocument for the signed-in user. */
export function useCanDownload(): (doc: Pick<Document, 'company_id' | 'carrier_id'>) => boolean {
  const { me } = useSession();
  const as = me?.assignments ?? [];
  return (doc) => canDownloadDocument(as, doc);
}

/** DownloadLink is a link to one version's bytes (the service answers with attachment). */
export function DownloadLink({ doc, version, testId, children }: { doc: Pick<Document, 'id' | 'filename'>; version: number; testId?: string; children?: ReactNode }) {
  return (
    <a href={contentUrl(doc.id, version)} download={doc.filename || true} data-testid={testId} rel="noopener">
      {children ?? doc.filename}
    </a>
  );
}

/**
 * VersionList loads a document and lists its versions, newest first, each
 * with its download (names only when canDownload is false: the district).
 */
export function VersionList({ documentId, canDownload = true }: { documentId: string; canDownload?: boolean }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useAsync((signal) => getDocument(documentId, signal), [documentId]);
  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  const versions = [...(data?.versions ?? [])].sort((a, b) => b.version - a.version);
  return (
    <Table<Version>
      data-testid={`versions-${documentId}`}
      size="small"
      rowKey={(v) => v.id || String(v.version)}
      loading={loading}
      pagination={false}
      dataSource={versions}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('d.versions.empty') }}
      columns={[
        { title: t('d.versions.version'), key: 'version', render: (_: unknown, v) => t('d.version', { version: v.version }) },
        {
          title: t('d.versions.filename'),
          key: 'filename',
          render: (_: unknown, v) =>
            canDownload ? (
              <a href={contentUrl(documentId, v.version)} download={v.filename || true} data-testid={`version-download-${v.version}`}>
                {v.filename || t('d.download')}
              </a>
            ) : (
              <span data-testid={`version-filename-${v.version}`}>{v.filename || '—'}</span>
            ),
        },
        { title: t('d.versions.size'), key: 'size', render: (_: unknown, v) => formatBytes(v.size) },
        { title: t('d.versions.uploadedAt'), key: 'uploaded_at', render: (_: unknown, v) => formatDateTime(v.uploaded_at) },
        { title: t('d.versions.status'), key: 'status', render: (_: unknown, v) => <DocStatusTag status={v.status} /> },
        { title: t('d.versions.comment'), key: 'comment', render: (_: unknown, v) => v.comment || '—' },
      ]}
    />
  );
}

/** ReturnModal sends a document's latest version back; the comment is required and the company reads it. */
export function ReturnModal({
  doc,
  typeName,
  onClose,
  onReturned,
}: {
  doc: Document;
  typeName: string;
  onClose: () => void;
  onReturned: (d: Document) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ comment: string }>();
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string>();

  const finish = async ({ comment }: { comment: string }) => {
    setSaving(true);
    setProblem(undefined);
    try {
      onReturned(await returnDocument(doc.id, comment.trim()));
    } catch (e) {
      const f = e instanceof ApiError ? e.fieldError('comment') : undefined;
      if (f) form.setFields([{ name: 'comment', errors: [fieldMessage(f, t)] }]);
      else setProblem(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('d.return.title', { type: typeName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('d.return.submit')}
      okButtonProps={{ danger: true, loading: saving, 'data-testid': 'return-submit' } as ButtonProps}
      cancelText={t('common.cancel')}
    >
      {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="return-error" /> : null}
      <Typography.Paragraph type="secondary">
        {doc.filename} · {t('d.version', { version: doc.version })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={finish}>
        <Form.Item
          name="comment"
          label={t('d.return.comment')}
          extra={t('d.return.commentHint')}
          rules={[{ required: true, whitespace: true, message: t('d.return.commentRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="return-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type DocumentColumn = NonNullable<TableProps<Document>['columns']>[number];

/**
 * documentColumns are the columns every list of documents shows the same way
 * (company, type, status, version, file name, size, upload time); each list
 * picks the ones it needs and adds its own actions.
 */
export function documentColumns(t: TFunc, lang: Lang, typeName: (code: string) => string) {
  return {
    company: (title: string, companies: Record<string, Company | null>): DocumentColumn => ({
      title,
      key: 'company',
      render: (_: unknown, d: Document) => {
        const c = companies[d.company_id];
        return (
          <Link to={`/companies/${d.company_id}`} data-testid="document-company">
            {(c && localizedName(lang, c)) || d.company_id}
          </Link>
        );
      },
    }),
    type: {
      title: t('d.list.type'),
      key: 'type',
      render: (_: unknown, d: Document) => (
        <Space size={4} wrap>
          <span data-testid="document-type">{typeName(d.type)}</span>
          {d.checklist_id?.startsWith('application:') ? <Tag>{t('d.list.forApplication')}</Tag> : null}
        </Space>
      ),
    } as DocumentColumn,
    /** status, with a returned document's comment under it when withComment */
    status: (withComment: boolean): DocumentColumn => ({
      title: t('d.list.status'),
      key: 'status',
      render: (_: unknown, d: Document) =>
        withComment ? (
          <Space direction="vertical" size={0}>
            <DocStatusTag status={d.status} testId="document-status" />
            {d.status === 'returned' && d.comment ? (
              <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="document-comment">
                {d.comment}
              </Typography.Text>
            ) : null}
          </Space>
        ) : (
          <DocStatusTag status={d.status} testId="document-status" />
        ),
    }),
    version: { title: t('d.list.version'), key: 'version', render: (_: unknown, d: Document) => t('d.version', { version: d.version }) } as DocumentColumn,
    filename: (maxWidth: number): DocumentColumn => ({
      title: t('d.list.filename'),
      key: 'filename',
      render: (_: unknown, d: Document) => (
        <Typography.Text ellipsis style={{ maxWidth }} title={d.filename} data-testid="document-filename">
          {d.filename}
        </Typography.Text>
      ),
    }),
    size: { title: t('d.list.size'), key: 'size', responsive: ['md'], render: (_: unknown, d: Document) => formatBytes(d.size) } as DocumentColumn,
    uploadedAt: {
      title: t('d.list.uploadedAt'),
      key: 'uploaded_at',
      responsive: ['lg'],
      render: (_: unknown, d: Document) => formatDateTime(d.uploaded_at),
    } as DocumentColumn,
  };
}
