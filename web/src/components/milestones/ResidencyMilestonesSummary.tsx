import { Space, Tag, Typography } from 'antd';
import { getPlan, MILESTONE_STATES } from '../../api/milestones';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { useMsLabel } from './parts';

/**
 * ResidencyMilestonesSummary is the residency page's glance at its plan:
 * how many milestones are in each state and how many are overdue. A plan the
 * milestones service cannot answer for shows as none (the plan page says why).
 */
export function ResidencyMilestonesSummary({ residencyId }: { residencyId: string }) {
  const { t } = useI18n();
  const label = useMsLabel();
  const plan = useAsync((signal) => getPlan(residencyId, signal).catch(() => null), [residencyId]);
  const items = plan.data?.milestones ?? [];
  if (plan.loading) return null;
  if (items.length === 0) return <Typography.Text type="secondary">{t('m.plan.none')}</Typography.Text>;
  const overdue = items.filter((m) => m.overdue).length;
  return (
    <Space wrap size={[6, 6]} data-testid="residency-milestones-summary">
      {MILESTONE_STATES.map((s) => {
        const n = items.filter((m) => m.state === s).length;
        return n > 0 ? <Tag key={s}>{`${label('state', s)} ${n}`}</Tag> : null;
      })}
      {overdue > 0 ? <Tag color="red">{`${t('m.common.overdue')} ${overdue}`}</Tag> : null}
    </Space>
  );
}
