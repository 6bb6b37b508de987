// The public API of the vmcp package. Adding an export here makes it public API: named exports
// only, each one deliberate (house rule 10).
export { Gateway } from './app/gateway.js';
export type { BackendSummary, GatewayStartOptions } from './app/gateway.js';
export { loadConfigFile, loadConfigText } from './config/load.js';
export type { LoadResult } from './config/load.js';
export type { ConfigIssue } from './config/issues.js';
export type { RuntimeConfig, BackendConfig, AggregationConfig, ServerConfig } from './config/types.js';
export type { UserConfig } from './config/schema.js';
export { ErrorCodes, VmcpError } from './errors/codes.js';
export type { ErrorCode } from './errors/codes.js';
export type { Catalog, Route } from './aggregation/catalog.js';
export { VERSION } from './app/version.js';
