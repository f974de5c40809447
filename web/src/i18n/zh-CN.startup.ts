/** zh-CN texts of the startup pages of the incubation flow (spread into zh-CN.ts). */
export const zhCNStartup = {} as const satisfies Record<string, string>;
