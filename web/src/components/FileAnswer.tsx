/**
 * A "file" question of an intake call is answered with a document of the
 * company: its id is the answer the incubatees service stores. DocumentPicker
 * chooses one of the company's documents (or uploads a new one and chooses
 * it); FileAnswer shows an answer read-only as the file's name, a download
 * link for those who may fetch the bytes.
 */
import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { getDocument, type Document, type DocumentType } from '../api/documents';
import { useI18n } from '../i18n';
import { errorText } from '../lib/formErrors';
import { useAsync } from '../lib/useAsync';
import { DocumentUpload } from './DocumentUpload';
import { DocStatusTag, DownloadLink, useCanDownload, useDocTypeName } from './documentParts';

/** The type a document uploaded as an answer gets: it fills no checklist slot. */
export const FILE_ANSWER_TYPE = 'other';

/** isLiveDocument: a deleted document is no answer to choose. */
export const isLiveDocument = (d: Pick<Document, 'status'>) => d.status !== 'deleted';

export interface DocumentPickerProps {
  companyId: string;
  /** the company's documents (deleted ones are left out); undefined while loading */
  documents?: readonly Document[];
  loading?: boolean;
  error?: unknown;
  /** the region's types: their names and the limits of an upload */
  types?: readonly DocumentType[];
  regionId?: string;
  /** the carrier a new upload is handed to; none before the company is linked to it */
  carrierId?: string;
  /** a title for the upload dialog (the question) */
  title?: string;
  /** the chosen document id (Form.Item hands it in) */
  value?: string | null;
  onChange?: (id: string | null) => void;
  /** a new document was uploaded (the picker also chooses it) */
  onUploaded?: (doc: Document) => void;
  disabled?: boolean;
  testId: string;
}

/**
 * DocumentPicker is a select of the company's documents, each shown as
 * "<type> · <file name> · 第N版", with a button that opens an upload of a new
 * file (type "other", no checklist); the uploaded document is chosen.
 */
export function DocumentPicker({
  companyId,
  documents,
  loading,
  error,
  types,
  regionId,
  carrierId,
  title,
  value,
  onChange,
  onUploaded,
  disabled,
  testId,
}: DocumentPickerProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const typeName = useDocTypeName(types);
  const [uploading, setUploading] = useState(false);
  const options = (documents ?? []).filter(isLiveDocument).map((d) => ({
    value: d.id,
    label: [typeName(d.type), d.filename, t('d.versionShort', { version: d.version })].join(' · '),
  }));

  return (
    <>
      <Space.Compact style={{ width: '100%' }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          data-testid={testId}
          placeholder={t('d.pick.placeholder')}
          loading={loading}
          disabled={disabled}
          status={error ? 'error' : undefined}
          notFoundContent={
            error ? (
              <Typography.Text type="danger" data-testid={`${testId}-error`}>
                {errorText(error, t)}
              </Typography.Text>
            ) : (
              t('d.pick.empty')
            )
          }
          options={options}
          value={value || undefined}
          onChange={(v: string | undefined) => onChange?.(v ?? null)}
        />
        <Button icon={<UploadOutlined />} disabled={disabled} onClick={() => setUploading(true)} data-testid={`${testId}-upload`}>
          {t('d.pick.upload')}
        </Button>
      </Space.Compact>
      {uploading ? (
        <Modal
          open
          title={title ? t('d.pick.uploadTitleFor', { question: title }) : t('d.pick.uploadTitle')}
          onCancel={() => setUploading(false)}
          footer={
            <Button onClick={() => setUploading(false)} data-testid={`${testId}-upload-close`}>
              {t('d.list.close')}
            </Button>
          }
        >
          <Typography.Paragraph type="secondary">{t('d.pick.uploadHint', { type: typeName(FILE_ANSWER_TYPE) })}</Typography.Paragraph>
          <DocumentUpload
            companyId={companyId}
            type={FILE_ANSWER_TYPE}
            carrierId={carrierId}
            documentType={types?.find((d) => d.code === FILE_ANSWER_TYPE)}
            regionId={regionId}
            testId={`${testId}-uploader`}
            onUploaded={(doc) => {
              setUploading(false);
              onUploaded?.(doc);
              onChange?.(doc.id);
              message.success(t('d.pick.uploadedMsg', { name: doc.filename || doc.id }));
            }}
          />
        </Modal>
      ) : null}
    </>
  );
}

/**
 * FileAnswer shows a file answer read-only: the document's file name, as a
 * download of its latest version when the viewer may fetch the bytes. A
 * document at hand (doc) is shown as is; otherwise it is loaded, and one that
 * cannot be (gone, or not the viewer's to read) shows as its raw id.
 */
export function FileAnswer({ documentId, doc, testId }: { documentId: string; doc?: Document; testId?: string }) {
  if (doc && doc.id === documentId) return <Shown doc={doc} testId={testId} />;
  return <Loaded documentId={documentId} testId={testId} />;
}

function Loaded({ documentId, testId }: { documentId: string; testId?: string }) {
  const { data, error } = useAsync((signal) => getDocument(documentId, signal), [documentId]);
  if (data) return <Shown doc={data} testId={testId} />;
  return (
    <span data-testid={testId} data-document-id={documentId} data-state={error ? 'unavailable' : 'loading'}>
      <Typography.Text type={error ? undefined : 'secondary'} data-testid="file-answer-id">
        {documentId}
      </Typography.Text>
    </span>
  );
}

function Shown({ doc, testId }: { doc: Document; testId?: string }) {
  const mayDownload = useCanDownload();
  const name = doc.filename || doc.id;
  const deleted = !isLiveDocument(doc);
  return (
    <span data-testid={testId} data-document-id={doc.id} data-state="shown">
      {mayDownload(doc) && !deleted ? (
        <DownloadLink doc={doc} version={doc.version} testId="file-answer-download">
          {name}
        </DownloadLink>
      ) : (
        <Typography.Text data-testid="file-answer-name">{name}</Typography.Text>
      )}
      {deleted ? (
        <>
          {' '}
          <DocStatusTag status="deleted" />
        </>
      ) : null}
    </span>
  );
}
