/** zh-CN texts of the operator pages of the incubation flow (spread into zh-CN.ts). */
export const zhCNOperator = {} as const satisfies Record<string, string>;
