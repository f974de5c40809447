/** Texts of the notification centre (通知中心). */
export const zhCNNotifications = {
  'notif.bell': '通知',
  'notif.bellCount': '通知，{n} 条未读',
  'notif.title': '通知中心',
  'notif.unreadOnly': '仅看未读',
  'notif.markAll': '全部标为已读',
  'notif.empty': '暂无通知',
  'notif.emptyUnread': '没有未读通知',
  'notif.unread': '未读',
  'notif.more': '加载更多',
  'notif.mailbox': '开发邮箱',
  'notif.mailboxHint': '未配置邮件服务器时，通知邮件不会发出，而是保存在这里，供开发和演示查看。',
  'notif.mailboxEmpty': '暂无邮件',
  'notif.mailTo': '收件人',
  'notif.failed': '通知加载失败，请稍后重试',
} as const;
