import { CopyOutlined } from '@ant-design/icons';
import { App, Button, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { reuseDocument, type Document, type ReusableDocument, type Reuse } from '../api/documents';
import { useI18n } from '../i18n';
import { errorText } from '../lib/formErrors';

/** At most this many earlier materials are offered for one slot (newest verification first). */
export const MAX_REUSE_OFFERS = 3;

const day = (iso: string) => {
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD') : iso;
};

/** verifiedText says when and by which carrier a material was verified. */
function useVerifiedText() {
  const { t } = useI18n();
  return (at: string, carrier: string, long = false) => {
    const key = long ? (carrier ? 'd.reuse.from' : 'd.reuse.fromNoCarrier') : carrier ? 'd.reuse.verified' : 'd.reuse.verifiedNoCarrier';
    return t(key, { at: day(at), carrier });
  };
}

/**
 * ReusedFromLine tells whoever reads a document that it was reused, and
 * when and by which carrier it was verified before ("沿用的材料：已于
 * 2026-05-01 由「XX众创空间」核验"): a reviewer's note, not a verdict.
 */
export function ReusedFromLine({ from, testId }: { from?: Reuse | null; testId?: string }) {
  const verified = useVerifiedText();
  if (!from) return null;
  return (
    <Typography.Paragraph type="secondary" style={{ marginTop: 4, marginBottom: 0 }} data-testid={testId}>
      {verified(from.verified_at, from.carrier_name, true)}
    </Typography.Paragraph>
  );
}

export interface ReuseOfferProps {
  /** "application:<id>": the checklist whose slot the copy fills */
  checklistId: string;
  /** the slot's type code */
  type: string;
  /** the company's verified materials of that type from other checklists */
  materials: ReusableDocument[];
  onReused: (doc: Document) => void;
  testId?: string;
}

/**
 * ReuseOffer offers, next to an upload, the company's materials of the
 * slot's type that a carrier has verified: 「使用已核验的材料」 copies one
 * into the slot, where the receiving carrier verifies it again.
 */
export function ReuseOffer({ checklistId, type, materials, onReused, testId = 'reuse-offer' }: ReuseOfferProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const verified = useVerifiedText();
  const [busy, setBusy] = useState<string>();
  if (materials.length === 0) return null;

  const reuse = async (m: ReusableDocument) => {
    setBusy(m.id);
    try {
      const d = await reuseDocument(checklistId, m.id, type);
      message.success(t('d.reuse.reusedMsg', { name: m.filename }));
      onReused(d);
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div data-testid={testId} style={{ marginBottom: 8 }}>
      <Typography.Text type="secondary">{t('d.reuse.or')}</Typography.Text>
      {materials.slice(0, MAX_REUSE_OFFERS).map((m) => (
        <div key={m.id} style={{ marginTop: 4 }}>
          <Space wrap size={[8, 4]}>
            <Button
              size="small"
              icon={<CopyOutlined />}
              loading={busy === m.id}
              disabled={busy !== undefined && busy !== m.id}
              onClick={() => void reuse(m)}
              data-testid={`${testId}-use-${m.id}`}
            >
              {t('d.reuse.use')}
            </Button>
            <Typography.Text data-testid={`${testId}-file-${m.id}`}>{m.filename}</Typography.Text>
            <Typography.Text type="secondary" data-testid={`${testId}-verified-${m.id}`}>
              {verified(m.verified_at, m.carrier_name)}
            </Typography.Text>
          </Space>
        </div>
      ))}
    </div>
  );
}
