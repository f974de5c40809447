import type { zhCNOperator } from './zh-CN.operator';

/** English texts of the operator pages; the type makes a missing key a compile error. */
export const enOperator: Record<keyof typeof zhCNOperator, string> = {};
