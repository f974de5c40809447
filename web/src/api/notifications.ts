/**
 * Notifications: the signed-in user's own inbox (notifications service),
 * fed by events — a material returned, a decision, a promotion waiting, a
 * report returned, a milestone due or overdue, a role granted.
 */
import { client, data, filters, type Page, type Schemas } from './client';

export type Notification = Schemas['notifications_NotificationDTO'];
export type Mail = Schemas['notifications_MailDTO'];

export interface NotificationQuery {
  unread?: boolean;
  page?: number;
  page_size?: number;
  [key: string]: string | number | boolean | undefined;
}

export const listNotifications = (query: NotificationQuery = {}, signal?: AbortSignal): Promise<Page<Notification>> =>
  data(client.GET('/api/v1/me/notifications', { params: { query: filters(query) }, signal }));
export const unreadCount = (signal?: AbortSignal) => data(client.GET('/api/v1/me/notifications/unread-count', { signal }));
export const markRead = (id: string) => data(client.POST('/api/v1/me/notifications/{id}/read', { params: { path: { id } } }));
export const markAllRead = () => data(client.POST('/api/v1/me/notifications/read-all', {}));
/** listDevMailbox: the e-mail kept when no SMTP server is configured (platform admins). */
export const listDevMailbox = (query: { page?: number; page_size?: number } = {}, signal?: AbortSignal): Promise<Page<Mail>> =>
  data(client.GET('/api/v1/dev/mailbox', { params: { query: filters(query) }, signal }));

/** title and body of a notification in the console's language (English falls back to Chinese). */
export function notificationText(n: Pick<Notification, 'title_zh' | 'title_en' | 'body_zh' | 'body_en'>, lang: string) {
  return lang === 'en'
    ? { title: n.title_en || n.title_zh, body: n.body_en || n.body_zh }
    : { title: n.title_zh, body: n.body_zh };
}
