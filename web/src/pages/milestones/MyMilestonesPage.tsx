import { Card, Empty, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { companyMilestoneTimeline } from '../../api/milestones';
import { LoadFailure } from '../../components/ErrorAlert';
import { MilestoneActions } from '../../components/milestones/MilestoneActions';
import { MilestoneDrawer } from '../../components/milestones/MilestoneDrawer';
import { MilestoneCard } from '../../components/milestones/parts';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';

/**
 * MyMilestonesPage is the startup's list of its milestones across its
 * carriers, by due date, as cards (it works at phone width): each with its
 * state, due date and progress, the progress form and the submit button.
 */
export function MyMilestonesPage() {
  const { companyId = '' } = useParams();
  const { t } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const list = useAsync((signal) => companyMilestoneTimeline(companyId, { sort: 'due_on', page_size: 200 }, signal), [companyId]);
  const items = list.data?.items ?? [];
  // Open plans first (the current carrier), then history; each by due date.
  const sorted = [...items].sort((a, b) => (a.plan_status === b.plan_status ? a.due_on.localeCompare(b.due_on) : a.plan_status === 'open' ? -1 : 1));

  return (
    <Card data-testid="my-milestones" className="milestones-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('m.mine.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('m.mine.subtitle')}</Typography.Paragraph>
      {list.error ? <LoadFailure error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data ? <Skeleton active /> : null}
      {list.data && items.length === 0 ? <Empty description={t('m.common.empty')} /> : null}
      <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="my-milestones-list">
        {sorted.map((m) => (
          <MilestoneCard key={m.id} m={m} onOpen={() => setOpen(m.id)} actions={<MilestoneActions m={m} onChanged={list.reload} />} />
        ))}
      </Space>
      {open ? <MilestoneDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} /> : null}
    </Card>
  );
}
