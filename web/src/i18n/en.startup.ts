import type { zhCNStartup } from './zh-CN.startup';

/** English texts of the startup pages; the type makes a missing key a compile error. */
export const enStartup: Record<keyof typeof zhCNStartup, string> = {};
