import { InboxOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Progress, Typography, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { listDocumentTypes, uploadDocument, type Document, type DocumentType } from '../api/documents';
import { useI18n } from '../i18n';
import { fileKindName, formatBytes, formatMB } from '../lib/files';
import { useAsync } from '../lib/useAsync';
import { uploadErrorText } from './documentParts';

export interface DocumentUploadProps {
  companyId: string;
  /** the document type code */
  type: string;
  /** "application:<id>": fill that checklist's slot (a new version when it is filled) */
  checklistId?: string;
  /**
   * the carrier the document is handed to (outside a checklist); the company
   * must be linked to it (it is once it has an application there)
   */
  carrierId?: string;
  /** the region's definition of the type (accepted types, size limit); loaded from regionId when absent */
  documentType?: DocumentType;
  regionId?: string;
  onUploaded: (doc: Document) => void;
  /** several files at once, each its own document (not for checklist slots) */
  multiple?: boolean;
  disabled?: boolean;
  testId?: string;
}

interface Item {
  uid: string;
  name: string;
  size: number;
  percent: number;
  status: 'uploading' | 'done' | 'error';
  error?: string;
}

/**
 * DocumentUpload sends files to the documents service: drag and drop or pick,
 * a progress bar per file, and under a failed file the service's localized
 * reason. The hint names the type's accepted formats and size limit; a file
 * over the limit is refused before it is sent.
 */
export function DocumentUpload({
  companyId,
  type,
  checklistId,
  carrierId,
  documentType,
  regionId,
  onUploaded,
  multiple = false,
  disabled,
  testId,
}: DocumentUploadProps) {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<Item[]>([]);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // The type's limits come from the caller, or from the region's list.
  const loaded = useAsync(
    async (signal) => {
      if (documentType || !regionId) return undefined;
      const page = await listDocumentTypes(regionId, signal).catch(() => undefined);
      return page?.items.find((d) => d.code === type);
    },
    [documentType, regionId, type],
  );
  const dt = documentType ?? loaded.data;

  const patch = (uid: string, p: Partial<Item>) => {
    if (!mounted.current) return;
    setItems((list) => list.map((i) => (i.uid === uid ? { ...i, ...p } : i)));
  };

  const customRequest: UploadProps['customRequest'] = (options) => {
    const file = options.file as File & { uid?: string };
    const uid = file.uid ?? `${file.name}-${Date.now()}`;
    const item: Item = { uid, name: file.name, size: file.size, percent: 0, status: 'uploading' };
    setItems((list) => [...(multiple ? list.filter((i) => i.status !== 'done') : []), item]);
    if (dt?.max_bytes && file.size > dt.max_bytes) {
      const error = t('d.upload.tooLarge', { size: formatMB(file.size), max: formatMB(dt.max_bytes) });
      patch(uid, { status: 'error', error });
      options.onError?.(new Error(error));
      return;
    }
    uploadDocument(companyId, file, {
      type,
      checklistId,
      carrierId,
      onProgress: (p) => {
        patch(uid, { percent: p.percent });
        options.onProgress?.({ percent: p.percent });
      },
    }).then(
      (doc) => {
        patch(uid, { status: 'done', percent: 100 });
        options.onSuccess?.(doc);
        onUploaded(doc);
      },
      (e: unknown) => {
        patch(uid, { status: 'error', error: uploadErrorText(e, t, dt) });
        options.onError?.(e instanceof Error ? e : new Error(String(e)));
      },
    );
  };

  const types = dt?.content_types ?? [];
  const sep = lang === 'en' ? ', ' : '、';
  const hint = dt
    ? types.length > 0
      ? t('d.upload.hint', { types: [...new Set(types.map((ct) => fileKindName(ct, lang)))].join(sep), max: formatMB(dt.max_bytes) })
      : t('d.upload.hintSize', { max: formatMB(dt.max_bytes) })
    : t('d.upload.hintAny');

  return (
    <div data-testid={testId ?? `document-upload-${type}`} className="document-upload">
      <Upload.Dragger
        name="file"
        multiple={multiple}
        showUploadList={false}
        // No accept filter: a dropped file of the wrong type would vanish silently;
        // the service's refusal, shown under the file, says why instead.
        disabled={disabled}
        customRequest={customRequest}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('d.upload.drag')}</p>
        <p className="ant-upload-hint" data-testid="upload-hint">
          {hint}
        </p>
      </Upload.Dragger>
      {items.map((i) => (
        <div key={i.uid} data-testid="upload-item" data-status={i.status} style={{ marginTop: 8 }}>
          <Typography.Text>
            <PaperClipOutlined /> {i.name} <Typography.Text type="secondary">({formatBytes(i.size)})</Typography.Text>
          </Typography.Text>
          {i.status === 'uploading' ? (
            <Progress percent={i.percent} size="small" status="active" data-testid="upload-progress" aria-label={t('d.upload.uploading')} />
          ) : null}
          {i.status === 'done' ? (
            <div>
              <Typography.Text type="success" data-testid="upload-done">
                {t('d.upload.done')}
              </Typography.Text>
            </div>
          ) : null}
          {i.status === 'error' ? (
            <div>
              <Typography.Text type="danger" data-testid="upload-error">
                {t('d.upload.failed')}{t('common.colon')}{i.error}
              </Typography.Text>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}
