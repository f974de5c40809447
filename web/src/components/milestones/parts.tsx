import { Card, Empty, Progress, Space, Tag, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Figure, Milestone, MilestoneState } from '../../api/milestones';
import { useSession } from '../../auth/session';
import { isMessageKey, useI18n, type Lang, type TFunc } from '../../i18n';
import { localizedName } from '../../lib/names';
import { canOperate } from '../../pages/operator/common';

/** useMsLabel names a milestones code ("state", "in_progress") in the UI language; an unknown code shows as sent. */
export function useMsLabel() {
  const { t } = useI18n();
  return (prefix: string, code: string | undefined | null): string => {
    if (!code) return '';
    const key = `m.${prefix}.${code}`;
    return isMessageKey(key) ? t(key) : code;
  };
}

const STATE_COLORS: Record<MilestoneState, string> = {
  planned: 'default',
  in_progress: 'processing',
  submitted: 'blue',
  verified: 'green',
  returned: 'orange',
  waived: 'default',
};

/** StateTag shows a milestone's state by its localized name. */
export function StateTag({ state, testId = 'milestone-state' }: { state: MilestoneState; testId?: string }) {
  const label = useMsLabel();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid={testId} data-state={state}>
      {label('state', state)}
    </Tag>
  );
}

export function OverdueTag({ m }: { m: Pick<Milestone, 'overdue'> }) {
  const { t } = useI18n();
  return m.overdue ? (
    <Tag color="red" data-testid="milestone-overdue">
      {t('m.common.overdue')}
    </Tag>
  ) : null;
}

/** figureText: "5,000 千元", "12 people". */
export function figureText(f: Figure | null | undefined, t: TFunc): string {
  if (!f) return '';
  const unit = isMessageKey(`m.unit.${f.unit}`) ? t(`m.unit.${f.unit}` as 'm.unit.people') : f.unit;
  return f.unit === 'percent' ? `${f.value.toLocaleString('en-US')}%` : `${f.value.toLocaleString('en-US')} ${unit}`;
}

/** milestoneTitle prefers the English title in English when there is one. */
export function milestoneTitle(lang: Lang, m: Pick<Milestone, 'title_zh' | 'title_en'>): string {
  return lang === 'en' && m.title_en ? m.title_en : m.title_zh || m.title_en;
}

export const carrierName = (lang: Lang, m: Pick<Milestone, 'carrier_name_zh' | 'carrier_name_en'>) =>
  localizedName(lang, { name_zh: m.carrier_name_zh, name_en: m.carrier_name_en });

/** daysOverdue counts whole days past the due date (local calendar). */
export function daysOverdue(dueOn: string, today = new Date()): number {
  const [y, mo, d] = dueOn.split('-').map(Number);
  const due = Date.UTC(y, (mo ?? 1) - 1, d ?? 1);
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.max(0, Math.round((now - due) / 86400000));
}

/** useIsStaffOf: the carrier's park staff (or a platform admin) — who plans, verifies and returns. */
export function useIsStaffOf(carrierId: string | undefined): boolean {
  const { me } = useSession();
  return canOperate(me?.assignments ?? [], carrierId);
}

/**
 * MilestoneCard is one milestone as a card (the startup's list at any width,
 * the kanban columns): title, state, due date, latest progress and the
 * actions the caller offers.
 */
export function MilestoneCard({ m, actions, showCompany, onOpen }: { m: Milestone; actions?: ReactNode; showCompany?: boolean; onOpen?: () => void }) {
  const { t, lang } = useI18n();
  const label = useMsLabel();
  return (
    <Card size="small" data-testid="milestone-card" data-id={m.id} data-state={m.state} className="milestone-card">
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={[6, 4]}>
          <Typography.Text strong data-testid="milestone-title">
            {onOpen ? (
              <Typography.Link onClick={onOpen} data-testid="milestone-open">
                {milestoneTitle(lang, m)}
              </Typography.Link>
            ) : (
              milestoneTitle(lang, m)
            )}
          </Typography.Text>
          <StateTag state={m.state} />
          <OverdueTag m={m} />
        </Space>
        {showCompany && m.company_name_zh ? <Typography.Text data-testid="milestone-company">{m.company_name_zh}</Typography.Text> : null}
        <Typography.Text type={m.overdue ? 'danger' : 'secondary'} data-testid="milestone-due">
          {t('m.common.dueOn', { date: m.due_on })} · {label('category', m.category)} · {carrierName(lang, m)}
        </Typography.Text>
        {m.target ? <Typography.Text type="secondary">{t('m.common.target', { value: figureText(m.target, t) })}</Typography.Text> : null}
        {m.figure ? <Typography.Text data-testid="milestone-figure">{t('m.common.reported', { value: figureText(m.figure, t) })}</Typography.Text> : null}
        {m.percent != null ? <Progress percent={m.percent} size="small" data-testid="milestone-percent" /> : null}
        {m.plan_status === 'closed' ? (
          <Typography.Text type="secondary">{t('m.common.closedPlan', { outcome: label('outcome', m.outcome) || m.outcome })}</Typography.Text>
        ) : null}
        {actions ? <div className="milestone-card-actions">{actions}</div> : null}
      </Space>
    </Card>
  );
}

/**
 * MilestoneTimeline shows a company's milestones along its chain: grouped by
 * carrier in chain order, each with its state and due date.
 */
export function MilestoneTimeline({ items, onOpen }: { items: Milestone[] | undefined; onOpen?: (m: Milestone) => void }) {
  const { t, lang } = useI18n();
  const label = useMsLabel();
  if (!items) return null;
  if (items.length === 0) return <Empty description={t('m.plan.timelineEmpty')} />;
  const groups: { key: string; head: Milestone; list: Milestone[] }[] = [];
  for (const m of items) {
    const g = groups.find((x) => x.key === m.residency_id);
    if (g) g.list.push(m);
    else groups.push({ key: m.residency_id, head: m, list: [m] });
  }
  groups.sort((a, b) => a.head.chain_order - b.head.chain_order);
  return (
    <div data-testid="milestone-timeline">
      {groups.map((g) => (
        <div key={g.key} data-testid="milestone-timeline-carrier" style={{ marginBottom: 16 }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {carrierName(lang, g.head)}
            {g.head.plan_status === 'closed' ? <Tag style={{ marginLeft: 8 }}>{t('m.common.closedPlan', { outcome: label('outcome', g.head.outcome) })}</Tag> : null}
          </Typography.Title>
          <Timeline
            items={g.list.map((m) => ({
              color: m.state === 'verified' ? 'green' : m.overdue ? 'red' : m.state === 'returned' ? 'orange' : 'blue',
              children: (
                <Space wrap size={[6, 2]} data-testid="milestone-timeline-item">
                  <Typography.Text>{m.due_on}</Typography.Text>
                  {onOpen ? <Typography.Link onClick={() => onOpen(m)}>{milestoneTitle(lang, m)}</Typography.Link> : <span>{milestoneTitle(lang, m)}</span>}
                  <StateTag state={m.state} />
                  <OverdueTag m={m} />
                </Space>
              ),
            }))}
          />
        </div>
      ))}
    </div>
  );
}
