import { Descriptions, Drawer, Empty, List, Skeleton, Space, Timeline, Typography } from 'antd';
import { getDocument, type Document } from '../../api/documents';
import { getMilestone, type Milestone, type MilestoneChange } from '../../api/milestones';
import { useSession } from '../../auth/session';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/names';
import { useAsync } from '../../lib/useAsync';
import { LoadFailure } from '../ErrorAlert';
import { DownloadLink, useDocTypeName } from '../documentParts';
import { MilestoneActions } from './MilestoneActions';
import { carrierName, figureText, milestoneTitle, OverdueTag, StateTag, useMsLabel } from './parts';

/**
 * MilestoneDrawer shows one milestone with its progress updates (evidence
 * included) and its history — who changed what, when and why — and the
 * actions its viewer may take.
 */
export function MilestoneDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: (m: Milestone) => void }) {
  const { t, lang } = useI18n();
  const label = useMsLabel();
  const typeName = useDocTypeName();
  const { me } = useSession();
  const detail = useAsync((signal) => getMilestone(id, signal), [id]);
  const docIds = [...new Set((detail.data?.updates ?? []).flatMap((u) => u.evidence))];
  const docs = useAsync(
    async (signal) => {
      const found = await Promise.all(docIds.map((d) => getDocument(d, signal).catch(() => null)));
      return new Map(found.filter((d): d is Document => !!d).map((d) => [d.id, d]));
    },
    [docIds.join()],
  );
  // Others are named by the service's users read model, never by their id.
  const who = (actor: string, name: string) => (actor && actor === me?.user.id ? me.user.display_name : name || t('m.detail.otherUser'));
  const m = detail.data?.milestone;

  return (
    <Drawer open onClose={onClose} width="min(640px, 100vw)" title={m ? milestoneTitle(lang, m) : t('m.detail.title')} data-testid="milestone-drawer">
      {detail.error ? <LoadFailure error={detail.error} onRetry={detail.reload} /> : null}
      {!m ? (
        <Skeleton active />
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <StateTag state={m.state} testId="drawer-state" />
            <OverdueTag m={m} />
          </Space>
          <MilestoneActions
            m={m}
            size="middle"
            onChanged={(next) => {
              detail.reload();
              onChanged(next);
            }}
          />
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('m.field.carrier')}>{carrierName(lang, m)}</Descriptions.Item>
            <Descriptions.Item label={t('m.field.category')}>{label('category', m.category)}</Descriptions.Item>
            <Descriptions.Item label={t('m.field.due_on')}>{m.due_on}</Descriptions.Item>
            {m.criteria ? <Descriptions.Item label={t('m.field.criteria')}>{m.criteria}</Descriptions.Item> : null}
            {m.target ? <Descriptions.Item label={t('m.field.target')}>{figureText(m.target, t)}</Descriptions.Item> : null}
            {m.evidence_types.length ? (
              <Descriptions.Item label={t('m.field.evidence_types')}>{m.evidence_types.map(typeName).join(lang === 'en' ? ', ' : '、')}</Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Title level={5}>{t('m.detail.updates')}</Typography.Title>
          {detail.data?.updates.length ? (
            <List
              size="small"
              data-testid="milestone-updates"
              dataSource={detail.data.updates}
              renderItem={(u) => (
                <List.Item data-testid="milestone-update">
                  <Space direction="vertical" size={2} style={{ width: '100%' }}>
                    <Typography.Text type="secondary">{t('m.detail.by', { actor: who(u.author_id, u.author_name), at: formatDateTime(u.at) })}</Typography.Text>
                    {u.text ? <Typography.Text>{u.text}</Typography.Text> : null}
                    {u.percent != null ? <Typography.Text>{u.percent}%</Typography.Text> : null}
                    {u.figure ? <Typography.Text>{figureText(u.figure, t)}</Typography.Text> : null}
                    {u.evidence.map((d) => {
                      const doc = docs.data?.get(d);
                      return doc ? (
                        <DownloadLink key={d} doc={doc} version={doc.version} testId="milestone-evidence">
                          {doc.filename} · {typeName(doc.type)}
                        </DownloadLink>
                      ) : (
                        <Typography.Text key={d} type="secondary" data-testid="milestone-evidence">
                          {d}
                        </Typography.Text>
                      );
                    })}
                  </Space>
                </List.Item>
              )}
            />
          ) : (
            <Empty description={t('m.detail.noUpdates')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          )}
          <Typography.Title level={5}>{t('m.detail.history')}</Typography.Title>
          <HistoryTimeline items={detail.data?.history ?? []} who={who} />
        </Space>
      )}
    </Drawer>
  );
}

/** HistoryTimeline: each change with its actor, time, state move and reason. */
export function HistoryTimeline({ items, who }: { items: MilestoneChange[]; who: (actor: string, name: string) => string }) {
  const { t } = useI18n();
  const label = useMsLabel();
  return (
    <Timeline
      data-testid="milestone-history"
      items={items.map((c) => ({
        color: c.action === 'verify' ? 'green' : c.action === 'return' ? 'orange' : 'blue',
        children: (
          <div data-testid="milestone-change" data-action={c.action}>
            <Typography.Text strong>{label('action', c.action)}</Typography.Text>{' '}
            {c.from && c.to && c.from !== c.to ? (
              <Typography.Text>{t('m.detail.fromTo', { from: label('state', c.from), to: label('state', c.to) })}</Typography.Text>
            ) : null}
            <div>
              <Typography.Text type="secondary">{t('m.detail.by', { actor: who(c.actor, c.actor_name), at: formatDateTime(c.at) })}</Typography.Text>
            </div>
            {c.reason ? <div data-testid="milestone-change-reason">{c.reason}</div> : null}
          </div>
        ),
      }))}
    />
  );
}
