import { Card, Col, Empty, Row, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { listCarrierMilestones, MILESTONE_CATEGORIES, MILESTONE_STATES, type Milestone, type MilestoneQuery } from '../../api/milestones';
import { LoadFailure } from '../../components/ErrorAlert';
import { ListToolbar } from '../../components/ListToolbar';
import { MilestoneActions } from '../../components/milestones/MilestoneActions';
import { MilestoneDrawer } from '../../components/milestones/MilestoneDrawer';
import { daysOverdue, MilestoneCard, milestoneTitle, OverdueTag, StateTag, useMsLabel } from '../../components/milestones/parts';
import { useI18n } from '../../i18n';
import { useAsync } from '../../lib/useAsync';
import { CarrierHeading } from '../operator/CarrierHeading';

type Tab = 'queue' | 'overdue' | 'kanban';
const TABS: readonly Tab[] = ['queue', 'overdue', 'kanban'];

/**
 * BoardPage is a carrier's milestones across its residents: the verification
 * queue (what was submitted), the overdue board (a table with filters) and a
 * kanban by state. The tab and filters live in the URL.
 */
export function BoardPage() {
  const { carrierId = '' } = useParams();
  const { t } = useI18n();
  const [sp, setSp] = useSearchParams();
  const tab: Tab = TABS.includes(sp.get('tab') as Tab) ? (sp.get('tab') as Tab) : 'queue';
  const [open, setOpen] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const changed = () => setTick((x) => x + 1);

  return (
    <Card data-testid="milestone-board">
      <CarrierHeading carrierId={carrierId} titleKey="m.board.title" />
      <Tabs
        activeKey={tab}
        onChange={(k) => setSp({ tab: k })}
        items={[
          { key: 'queue', label: <span data-testid="board-tab-queue">{t('m.board.queue')}</span>, children: null },
          { key: 'overdue', label: <span data-testid="board-tab-overdue">{t('m.board.overdue')}</span>, children: null },
          { key: 'kanban', label: <span data-testid="board-tab-kanban">{t('m.board.kanban')}</span>, children: null },
        ]}
      />
      {tab === 'queue' ? <QueueList carrierId={carrierId} tick={tick} onOpen={setOpen} onChanged={changed} /> : null}
      {tab === 'overdue' ? <OverdueTable carrierId={carrierId} tick={tick} onOpen={setOpen} onChanged={changed} /> : null}
      {tab === 'kanban' ? <Kanban carrierId={carrierId} tick={tick} onOpen={setOpen} onChanged={changed} /> : null}
      {open ? <MilestoneDrawer id={open} onClose={() => setOpen(null)} onChanged={changed} /> : null}
    </Card>
  );
}

interface PartProps {
  carrierId: string;
  tick: number;
  onOpen: (id: string) => void;
  onChanged: () => void;
}

/** QueueList: what residents submitted, oldest first, each with verify and return. */
function QueueList({ carrierId, tick, onOpen, onChanged }: PartProps) {
  const { t } = useI18n();
  const list = useAsync((signal) => listCarrierMilestones(carrierId, { state: 'submitted', sort: 'updated_at', page_size: 200 }, signal), [carrierId, tick]);
  if (list.error) return <LoadFailure error={list.error} onRetry={list.reload} />;
  const items = list.data?.items ?? [];
  if (list.data && items.length === 0) return <Empty description={t('m.board.queueEmpty')} />;
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="board-queue">
      {items.map((m) => (
        <MilestoneCard key={m.id} m={m} showCompany onOpen={() => onOpen(m.id)} actions={<MilestoneActions m={m} onChanged={onChanged} />} />
      ))}
    </Space>
  );
}

/** OverdueTable: past-due milestones of open residencies, filtered by search, state and category. */
function OverdueTable({ carrierId, tick, onOpen, onChanged }: PartProps) {
  const { t, lang } = useI18n();
  const label = useMsLabel();
  const [sp, setSp] = useSearchParams();
  const q: MilestoneQuery = {
    overdue: true,
    q: sp.get('q') ?? undefined,
    state: sp.get('state') ?? undefined,
    category: sp.get('category') ?? undefined,
    page: Number(sp.get('page') ?? 1),
    page_size: 20,
    sort: 'due_on',
  };
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setSp(next);
  };
  const list = useAsync((signal) => listCarrierMilestones(carrierId, q, signal), [carrierId, tick, sp.toString()]);
  return (
    <div data-testid="board-overdue">
      <ListToolbar
        search={{ value: q.q, placeholder: t('m.board.search'), onSearch: (v) => set('q', v), testId: 'board-overdue-search' }}
        filters={[
          {
            key: 'state',
            value: q.state,
            placeholder: t('m.field.state'),
            options: MILESTONE_STATES.filter((s) => s !== 'verified' && s !== 'waived').map((s) => ({ value: s, label: label('state', s) })),
            onChange: (v) => set('state', v),
            testId: 'board-overdue-state',
          },
          {
            key: 'category',
            value: q.category,
            placeholder: t('m.field.category'),
            options: MILESTONE_CATEGORIES.map((c) => ({ value: c, label: label('category', c) })),
            onChange: (v) => set('category', v),
            testId: 'board-overdue-category',
          },
        ]}
      />
      {list.error ? <LoadFailure error={list.error} onRetry={list.reload} /> : null}
      <Table<Milestone>
        rowKey="id"
        size="small"
        data-testid="board-overdue-table"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('m.board.overdueEmpty')} /> }}
        pagination={{
          current: q.page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p) => set('page', String(p)),
        }}
        columns={[
          {
            title: t('m.field.company'),
            key: 'company',
            render: (_, m) => (
              <Link to={`/residencies/${m.residency_id}/milestones`} data-testid="board-row-company">
                {m.company_name_zh || m.company_id}
              </Link>
            ),
          },
          {
            title: t('m.field.title'),
            key: 'title',
            render: (_, m) => (
              <Typography.Link onClick={() => onOpen(m.id)} data-testid="board-row-title">
                {milestoneTitle(lang, m)}
              </Typography.Link>
            ),
          },
          { title: t('m.field.category'), key: 'category', render: (_, m) => label('category', m.category) },
          {
            title: t('m.field.due_on'),
            key: 'due',
            render: (_, m) => (
              <Space size={4} wrap>
                <span>{m.due_on}</span>
                <Typography.Text type="danger">{t('m.board.daysOverdue', { days: daysOverdue(m.due_on) })}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('m.field.state'),
            key: 'state',
            render: (_, m) => (
              <Space size={4}>
                <StateTag state={m.state} />
                <OverdueTag m={m} />
              </Space>
            ),
          },
          { title: t('s.common.actions'), key: 'actions', render: (_, m) => <MilestoneActions m={m} onChanged={onChanged} /> },
        ]}
      />
    </div>
  );
}

/** Kanban: every milestone of the carrier's residents in a column per state. */
function Kanban({ carrierId, tick, onOpen, onChanged }: PartProps) {
  const { t } = useI18n();
  const label = useMsLabel();
  const list = useAsync((signal) => listCarrierMilestones(carrierId, { sort: 'due_on', page_size: 200 }, signal), [carrierId, tick]);
  if (list.error) return <LoadFailure error={list.error} onRetry={list.reload} />;
  const items = list.data?.items ?? [];
  return (
    <Row gutter={[12, 12]} data-testid="board-kanban" wrap>
      {MILESTONE_STATES.map((s) => {
        const col = items.filter((m) => m.state === s);
        return (
          <Col key={s} xs={24} sm={12} lg={8} xl={4}>
            <div className="milestone-kanban-column" data-testid={`kanban-column-${s}`}>
              <Typography.Text strong>
                {label('state', s)} ({col.length})
              </Typography.Text>
              <Space direction="vertical" size="small" style={{ width: '100%', marginTop: 8 }}>
                {col.length === 0 ? <Typography.Text type="secondary">{t('m.common.empty')}</Typography.Text> : null}
                {col.map((m) => (
                  <MilestoneCard key={m.id} m={m} showCompany onOpen={() => onOpen(m.id)} actions={<MilestoneActions m={m} onChanged={onChanged} />} />
                ))}
              </Space>
            </div>
          </Col>
        );
      })}
    </Row>
  );
}
