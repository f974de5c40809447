import { HistoryOutlined } from '@ant-design/icons';
import { Button, Drawer, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { documentAudit, type AuditEntry, type Document } from '../api/documents';
import { listCarrierMembers } from '../api/members';
import { listCompanyMembers } from '../api/companies';
import { useSession } from '../auth/session';
import { isMessageKey, useI18n, type TFunc } from '../i18n';
import { formatDateTime } from '../lib/names';
import { useAsync } from '../lib/useAsync';
import { ErrorAlert } from './ErrorAlert';

const PAGE_SIZE = 20;

const ACTION_COLORS: Record<string, string> = {
  upload: 'blue',
  download: 'default',
  verify: 'green',
  return: 'orange',
  delete: 'red',
  purge: 'default',
  content_missing: 'red',
};

/** auditAction strips the service's "document." prefix: "document.verify" → "verify". */
export const auditAction = (action: string) => action.replace(/^document\./, '');

/** shortId shows a long id by its first characters; the full id stays in the title. */
export const shortId = (id: string) => (id.length > 10 ? `${id.slice(0, 8)}…` : id);

/** auditDetail is an entry's detail as one line: version, file name, comment. */
export function auditDetail(detail: unknown, t: TFunc): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.version === 'number') parts.push(t('d.version', { version: d.version }));
  if (typeof d.versions === 'number') parts.push(t('d.audit.versions', { count: d.versions }));
  if (typeof d.filename === 'string' && d.filename) parts.push(d.filename);
  if (typeof d.comment === 'string' && d.comment) parts.push(t('d.audit.comment', { comment: d.comment }));
  return parts.join(' · ');
}

/**
 * useActorNames names the people of a document's audit trail where the
 * console can: the signed-in user, the company's members and the carrier's
 * staff (each list best effort; who may not read one simply sees ids).
 */
function useActorNames(doc: Pick<Document, 'company_id' | 'carrier_id'>): Record<string, string> {
  const { me } = useSession();
  const { data } = useAsync(
    async (signal) => {
      const [company, carrier] = await Promise.all([
        doc.company_id ? listCompanyMembers(doc.company_id, signal).catch(() => undefined) : undefined,
        doc.carrier_id ? listCarrierMembers(doc.carrier_id).catch(() => undefined) : undefined,
      ]);
      const names: Record<string, string> = {};
      for (const m of [...(carrier?.items ?? []), ...(company?.items ?? [])]) {
        const n = m.display_name || m.email;
        if (m.user_id && n) names[m.user_id] = n;
      }
      return names;
    },
    [doc.company_id, doc.carrier_id],
  );
  const names = { ...(data ?? {}) };
  if (me?.user.id) names[me.user.id] = me.user.display_name || me.user.email;
  return names;
}

/** AuditButton opens a document's 操作记录 in a drawer. */
export function AuditButton({ doc, testId = 'document-audit' }: { doc: Document; testId?: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" type="link" icon={<HistoryOutlined />} onClick={() => setOpen(true)} data-testid={testId}>
        {t('d.audit.open')}
      </Button>
      {open ? <AuditDrawer doc={doc} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/**
 * AuditDrawer lists a document's audit trail, newest first: when, who (a
 * name when the console knows one, else the shortened id), what and its
 * details (version, file, comment), paged on the server.
 */
export function AuditDrawer({ doc, onClose }: { doc: Document; onClose: () => void }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useAsync(
    (signal) => documentAudit(doc.id, { page, page_size: PAGE_SIZE }, signal),
    [doc.id, page],
  );
  const names = useActorNames(doc);

  const actorText = (actor: string) => {
    if (!actor || actor === 'system') return <Typography.Text type="secondary">{t('d.audit.system')}</Typography.Text>;
    const name = names[actor];
    return (
      <span title={actor} data-testid="audit-actor">
        {name ?? <Typography.Text code>{shortId(actor)}</Typography.Text>}
      </span>
    );
  };

  const actionTag = (action: string) => {
    const a = auditAction(action);
    const key = `d.audit.action.${a}`;
    return (
      <Tag color={ACTION_COLORS[a] ?? 'default'} data-testid="audit-action" data-action={a}>
        {isMessageKey(key) ? t(key) : action}
      </Tag>
    );
  };

  return (
    <Drawer
      open
      onClose={onClose}
      width="min(720px, 100vw)"
      title={t('d.audit.title', { name: doc.filename || doc.id })}
    >
      <div data-testid="audit-drawer">
        {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
        <Table<AuditEntry & { key: string }>
          data-testid="audit-table"
          size="small"
          rowKey="key"
          loading={loading}
          dataSource={(data?.items ?? []).map((e, i) => ({ ...e, key: `${page}-${i}` }))}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('d.audit.empty') }}
          columns={[
            { title: t('d.audit.at'), key: 'at', render: (_: unknown, e) => formatDateTime(e.at) },
            { title: t('d.audit.actor'), key: 'actor', render: (_: unknown, e) => actorText(e.actor) },
            { title: t('d.audit.action'), key: 'action', render: (_: unknown, e) => actionTag(e.action) },
            {
              title: t('d.audit.detail'),
              key: 'detail',
              render: (_: unknown, e) => <span data-testid="audit-detail">{auditDetail(e.detail, t) || '—'}</span>,
            },
          ]}
          pagination={
            (data?.total ?? 0) > PAGE_SIZE
              ? { current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }
              : false
          }
        />
      </div>
    </Drawer>
  );
}
