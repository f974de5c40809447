import { CheckOutlined, RollbackOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import {
  getChecklist,
  listDocumentTypes,
  listReusableDocuments,
  verifyDocument,
  type Checklist,
  type Document,
  type DocumentType,
  type ReusableDocument,
  type Slot,
} from '../api/documents';
import { useI18n } from '../i18n';
import { formatBytes, pollUntil } from '../lib/files';
import { errorText } from '../lib/formErrors';
import { formatDateTime } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { DocumentUpload } from './DocumentUpload';
import { DocStatusTag, DownloadLink, ReturnModal, slotStatus, useCanDownload, useDocTypeName, VersionList } from './documentParts';
import { ErrorAlert } from './ErrorAlert';
import { ReusedFromLine, ReuseOffer } from './ReuseMaterial';

export interface ChecklistSlotsProps {
  /** "application:<application id>" */
  checklistId: string;
  /** startup: upload and replace; operator: verify and return */
  variant: 'startup' | 'operator';
  /** startup: uploads allowed (still subject to the checklist being open) */
  editable?: boolean;
  /** operator: verify and return allowed (the carrier's staff) */
  canReview?: boolean;
  /** server field errors by slot type (a refused submission's "materials.<type>") */
  errors?: Record<string, string[]>;
  onUploaded?: (doc: Document) => void;
  onReviewed?: (doc: Document) => void;
  /** how long to wait for a checklist the service has not opened yet (ms) */
  waitMs?: number;
  /** shown above the alert when the checklist cannot be loaded (e.g. the application's own view of its slots) */
  fallback?: ReactNode;
}

const notYet = (e: unknown) => e instanceof ApiError && e.status === 404 && (e.code === 'checklist-not-found' || e.slug === 'checklist-not-found');

/**
 * ChecklistSlots shows the slots of a checklist (an application's required
 * materials): each type with its status, the operator's comment when
 * returned, the latest file and version with its download, and the versions
 * before it. The startup variant uploads into a slot (a new version when it
 * is filled); the operator variant verifies or returns the latest version.
 */
export function ChecklistSlots({
  checklistId,
  variant,
  editable = false,
  canReview = false,
  errors,
  onUploaded,
  onReviewed,
  waitMs = 5000,
  fallback,
}: ChecklistSlotsProps) {
  const { t } = useI18n();
  // The service opens the checklist when it sees the application's event, a moment after the draft exists.
  const list = useAsync(
    (signal) =>
      pollUntil(
        (s) => getChecklist(checklistId, s).then((c) => c as Checklist | null).catch((e: unknown) => (notYet(e) ? null : Promise.reject(e))),
        (c) => c !== null,
        { intervalMs: 300, timeoutMs: waitMs, signal },
      ),
    [checklistId, waitMs],
  );
  const regionId = list.data?.region_id;
  const types = useAsync(
    async (signal) => (regionId ? (await listDocumentTypes(regionId, signal).catch(() => undefined))?.items : undefined),
    [regionId],
  );
  const typeName = useDocTypeName(types.data);
  // The company's verified materials another checklist may reuse; without them, upload only.
  const companyId = variant === 'startup' && editable ? list.data?.company_id : undefined;
  const reusable = useAsync(
    async (signal) => (companyId ? (await listReusableDocuments(companyId, undefined, signal).catch(() => undefined))?.items : undefined),
    [companyId],
  );
  // Without the checklist, a refusal's reasons are still shown, one line per slot.
  const before = (
    <>
      {fallback}
      {Object.entries(errors ?? {}).map(([type, msgs]) => (
        <div key={type}>
          <Typography.Text type="danger" data-testid={`slot-error-${type}`}>
            {typeName(type)}{t('common.colon')}{msgs.join(t('common.listSep'))}
          </Typography.Text>
        </div>
      ))}
    </>
  );

  if (list.error) {
    return (
      <>
        {before}
        <ErrorAlert error={list.error} onRetry={list.reload} />
      </>
    );
  }
  if (list.data === undefined) {
    return (
      <>
        {before}
        <Spin data-testid="checklist-loading" />
      </>
    );
  }
  if (list.data === null) {
    return (
      <>
        {before}
        <Alert
        type="info"
        showIcon
        message={t('d.slots.preparing')}
        data-testid="checklist-preparing"
        action={
          <Button size="small" onClick={list.reload}>
            {t('common.retry')}
          </Button>
        }
      />
      </>
    );
  }
  const checklist = list.data;
  const slots = checklist.slots ?? [];
  const uploadsOpen = variant === 'startup' && editable && checklist.open;

  return (
    <div data-testid="checklist-slots" data-complete={checklist.complete ? 'true' : 'false'}>
      {variant === 'startup' && editable && !checklist.open ? (
        <Alert type="info" showIcon message={t('d.slots.closed')} style={{ marginBottom: 12 }} data-testid="checklist-closed" />
      ) : null}
      {slots.length === 0 ? (
        <Empty description={t('d.slots.empty')} />
      ) : (
        <List
          itemLayout="vertical"
          bordered
          dataSource={slots}
          rowKey={(s) => s.type}
          renderItem={(slot) => (
            <SlotItem
              slot={slot}
              checklist={checklist}
              types={types.data}
              reusable={reusable.data?.filter((m) => m.type === slot.type && m.checklist_id !== checklist.id)}
              variant={variant}
              uploadsOpen={uploadsOpen}
              canReview={variant === 'operator' && canReview}
              errors={errors?.[slot.type]}
              onUploaded={(doc) => {
                list.reload();
                onUploaded?.(doc);
              }}
              onReviewed={(doc) => {
                list.reload();
                onReviewed?.(doc);
              }}
            />
          )}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid="checklist-summary">
        {checklist.complete ? t('d.slots.complete') : t('d.slots.incomplete')}
      </Typography.Paragraph>
    </div>
  );
}

function SlotItem({
  slot,
  checklist,
  types,
  reusable,
  variant,
  uploadsOpen,
  canReview,
  errors,
  onUploaded,
  onReviewed,
}: {
  slot: Slot;
  checklist: Checklist;
  types?: DocumentType[];
  reusable?: ReusableDocument[];
  variant: 'startup' | 'operator';
  uploadsOpen: boolean;
  canReview: boolean;
  errors?: string[];
  onUploaded: (doc: Document) => void;
  onReviewed: (doc: Document) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const typeName = useDocTypeName(types);
  const mayDownload = useCanDownload();
  const [replacing, setReplacing] = useState(false);
  const [showVersions, setShowVersions] = useState(false);
  const [returning, setReturning] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const status = slotStatus(slot.document);
  const doc = status === 'empty' ? null : slot.document;
  const name = typeName(slot.type);
  const tid = (what: string) => `slot-${what}-${slot.type}`;

  const verify = async () => {
    if (!doc) return;
    setVerifying(true);
    try {
      const d = await verifyDocument(doc.id);
      message.success(t('d.slots.verifiedMsg', { type: name }));
      onReviewed(d);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setVerifying(false);
    }
  };

  const actions: ReactNode[] = [];
  if (uploadsOpen && doc) {
    actions.push(
      <Button
        key="replace"
        size="small"
        type={status === 'returned' ? 'primary' : 'default'}
        icon={<UploadOutlined />}
        onClick={() => setReplacing((v) => !v)}
        data-testid={tid('upload')}
      >
        {replacing ? t('common.cancel') : t('d.slots.replace')}
      </Button>,
    );
  }
  if (canReview && doc && status === 'uploaded') {
    actions.push(
      <Button key="verify" size="small" type="primary" icon={<CheckOutlined />} loading={verifying} onClick={verify} data-testid={tid('verify')}>
        {t('d.slots.verify')}
      </Button>,
    );
  }
  if (canReview && doc && (status === 'uploaded' || status === 'verified')) {
    actions.push(
      <Button key="return" size="small" danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid={tid('return')}>
        {t('d.slots.return')}
      </Button>,
    );
  }
  if (doc && (doc.version > 1 || variant === 'operator')) {
    actions.push(
      <Button key="versions" size="small" type="link" onClick={() => setShowVersions((v) => !v)} data-testid={tid('versions-toggle')}>
        {showVersions ? t('d.slots.hideVersions') : t('d.slots.versions', { count: doc.version })}
      </Button>,
    );
  }

  return (
    <List.Item data-testid={`slot-${slot.type}`} data-status={status} actions={actions.length ? actions : undefined}>
      <Space wrap size={[8, 4]} style={{ marginBottom: 4 }}>
        <Typography.Text strong data-testid={tid('name')}>
          {name}
        </Typography.Text>
        {slot.required ? <Tag color="red">{t('d.slots.required')}</Tag> : <Tag>{t('d.slots.optional')}</Tag>}
        <DocStatusTag status={status} testId={tid('status')} />
      </Space>
      {doc ? (
        <div data-testid={tid('file')}>
          <Space wrap size={[12, 4]}>
            {mayDownload(doc) ? (
              <DownloadLink doc={doc} version={doc.version} testId={tid('download')} />
            ) : (
              <Typography.Text data-testid={tid('filename')}>{doc.filename}</Typography.Text>
            )}
            <Typography.Text type="secondary" data-testid={tid('version')}>
              {t('d.version', { version: doc.version })}
            </Typography.Text>
            {doc.size ? <Typography.Text type="secondary">{formatBytes(doc.size)}</Typography.Text> : null}
            {doc.uploaded_at ? (
              <Typography.Text type="secondary">{t('d.slots.uploadedAt', { at: formatDateTime(doc.uploaded_at) })}</Typography.Text>
            ) : null}
          </Space>
          <ReusedFromLine from={doc.reused_from} testId={tid('reused')} />
        </div>
      ) : null}
      {doc && status === 'returned' && doc.comment ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          message={t('d.slots.returnComment', { comment: doc.comment })}
          data-testid={tid('comment')}
        />
      ) : null}
      {doc && status === 'verified' && doc.comment ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid={tid('comment')}>
          {t('d.slots.verifyComment', { comment: doc.comment })}
        </Typography.Paragraph>
      ) : null}
      {errors?.length ? (
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="danger" data-testid={tid('error')}>
            {errors.join('; ')}
          </Typography.Text>
        </div>
      ) : null}
      {uploadsOpen && (!doc || replacing) ? (
        <div style={{ marginTop: 8 }}>
          <ReuseOffer
            checklistId={checklist.id}
            type={slot.type}
            materials={reusable ?? []}
            testId={tid('reuse')}
            onReused={(d) => {
              setReplacing(false);
              onUploaded(d);
            }}
          />
          <DocumentUpload
            companyId={checklist.company_id}
            type={slot.type}
            checklistId={checklist.id}
            documentType={types?.find((d) => d.code === slot.type)}
            testId={tid('uploader')}
            onUploaded={(d) => {
              setReplacing(false);
              message.success(t('d.upload.uploadedMsg', { name: d.filename || name }));
              onUploaded(d);
            }}
          />
        </div>
      ) : null}
      {showVersions && doc ? (
        <div style={{ marginTop: 8 }}>
          <VersionList key={`${doc.id}-${doc.version}-${doc.status}`} documentId={doc.id} canDownload={mayDownload(doc)} />
        </div>
      ) : null}
      {returning && doc ? (
        <ReturnModal
          doc={doc}
          typeName={name}
          onClose={() => setReturning(false)}
          onReturned={(d) => {
            setReturning(false);
            message.success(t('d.slots.returnedMsg', { type: name }));
            onReviewed(d);
          }}
        />
      ) : null}
    </List.Item>
  );
}
