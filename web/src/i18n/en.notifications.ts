import type { zhCNNotifications } from './zh-CN.notifications';

/** English texts of the notification centre; the type makes a missing key a compile error. */
export const enNotifications: Record<keyof typeof zhCNNotifications, string> = {
  'notif.bell': 'Notifications',
  'notif.bellCount': 'Notifications, {n} unread',
  'notif.title': 'Notifications',
  'notif.unreadOnly': 'Unread only',
  'notif.markAll': 'Mark all read',
  'notif.empty': 'No notifications yet',
  'notif.emptyUnread': 'No unread notifications',
  'notif.unread': 'Unread',
  'notif.more': 'Load more',
  'notif.mailbox': 'Dev mailbox',
  'notif.mailboxHint': 'With no SMTP server configured, notification e-mail is not sent but kept here for development and demos.',
  'notif.mailboxEmpty': 'No mail yet',
  'notif.mailTo': 'To',
  'notif.failed': 'Notifications could not be loaded; please try again later',
};
