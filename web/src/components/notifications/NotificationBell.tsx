import { BellOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Drawer, Empty, List, Space, Switch, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isPlatformAdmin } from '../../auth/roles';
import { useSession } from '../../auth/session';
import {
  listNotifications,
  markAllRead,
  markRead,
  notificationText,
  unreadCount,
  type Notification,
} from '../../api/notifications';
import { useI18n } from '../../i18n';

/** How often the bell asks for the unread count while the page is visible. */
export const POLL_MS = 30_000;
const PAGE_SIZE = 20;

/**
 * useUnreadCount polls the caller's unread count, and asks again at once when
 * the window regains focus or becomes visible; a failed poll keeps the last
 * count (the bell is never an error on every page).
 */
export function useUnreadCount(pollMs = POLL_MS) {
  const [count, setCount] = useState(0);
  const refresh = useCallback(() => {
    unreadCount().then(
      (r) => setCount(r.unread),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') refresh();
    }, pollMs);
    const onVisible = () => {
      if (document.visibilityState !== 'hidden') refresh();
    };
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [refresh, pollMs]);
  return { count, setCount, refresh };
}

/**
 * NotificationBell is the header's bell: the unread count as a badge, and a
 * drawer with the caller's notifications, newest first. Opening one marks it
 * read and goes to the page it is about; "mark all read" empties the badge.
 */
export function NotificationBell({ pollMs = POLL_MS }: { pollMs?: number }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { me } = useSession();
  const { count, setCount, refresh } = useUnreadCount(pollMs);
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Notification[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const seq = useRef(0);

  const load = useCallback(
    (page: number) => {
      const my = ++seq.current;
      setLoading(true);
      setFailed(false);
      listNotifications({ unread: unreadOnly || undefined, page, page_size: PAGE_SIZE }).then(
        (p) => {
          if (seq.current !== my) return;
          setItems((prev) => (page === 1 ? p.items : [...prev, ...p.items]));
          setTotal(p.total);
          setLoading(false);
        },
        () => {
          if (seq.current !== my) return;
          setFailed(true);
          setLoading(false);
        },
      );
    },
    [unreadOnly],
  );

  useEffect(() => {
    if (open) load(1);
  }, [open, load]);

  const openOne = async (n: Notification) => {
    if (!n.read_at) {
      try {
        const read = await markRead(n.id);
        setItems((prev) => prev.map((x) => (x.id === n.id ? read : x)));
        setCount((c) => Math.max(0, c - 1));
      } catch {
        // Going to the page matters more than the mark; the next poll corrects the count.
      }
    }
    setOpen(false);
    if (n.link) navigate(n.link);
  };

  const readAll = async () => {
    try {
      await markAllRead();
      setCount(0);
      load(1);
    } catch {
      refresh();
    }
  };

  const width = typeof window !== 'undefined' ? Math.min(400, window.innerWidth) : 400;
  return (
    <>
      <Button
        type="text"
        aria-label={count > 0 ? t('notif.bellCount', { n: count }) : t('notif.bell')}
        data-testid="notif-bell"
        onClick={() => setOpen(true)}
        icon={
          <Badge count={count} size="small" overflowCount={99} data-testid="notif-count">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
      <Drawer
        title={t('notif.title')}
        placement="right"
        width={width}
        open={open}
        onClose={() => setOpen(false)}
        destroyOnHidden
        extra={
          <Button size="small" onClick={readAll} disabled={count === 0} data-testid="notif-read-all">
            {t('notif.markAll')}
          </Button>
        }
      >
        <Space style={{ marginBottom: 12 }}>
          <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} data-testid="notif-unread-only" />
          <span>{t('notif.unreadOnly')}</span>
        </Space>
        {failed ? <Alert type="error" showIcon message={t('notif.failed')} /> : null}
        <List
          data-testid="notif-list"
          loading={loading && items.length === 0}
          dataSource={items}
          locale={{ emptyText: <Empty description={unreadOnly ? t('notif.emptyUnread') : t('notif.empty')} /> }}
          renderItem={(n) => {
            const { title, body } = notificationText(n, lang);
            return (
              <List.Item
                key={n.id}
                data-testid="notif-item"
                data-unread={n.read_at ? 'false' : 'true'}
                onClick={() => void openOne(n)}
                style={{ cursor: 'pointer', alignItems: 'flex-start' }}
              >
                <List.Item.Meta
                  avatar={<Badge status={n.read_at ? 'default' : 'processing'} aria-label={n.read_at ? undefined : t('notif.unread')} />}
                  title={<Typography.Text strong={!n.read_at}>{title}</Typography.Text>}
                  description={
                    <>
                      <div style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}>{body}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {new Date(n.created_at).toLocaleString(lang)}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            );
          }}
        />
        {items.length < total ? (
          <Button block onClick={() => load(Math.floor(items.length / PAGE_SIZE) + 1)} loading={loading} data-testid="notif-more">
            {t('notif.more')}
          </Button>
        ) : null}
        {isPlatformAdmin(me?.assignments ?? []) ? (
          <div style={{ marginTop: 16 }}>
            <Link to="/dev/mailbox" onClick={() => setOpen(false)} data-testid="notif-mailbox">
              {t('notif.mailbox')}
            </Link>
          </div>
        ) : null}
      </Drawer>
    </>
  );
}
