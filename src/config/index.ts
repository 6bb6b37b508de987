// Public surface of config/ (adding here = public API). A leaf module: it imports nothing from
// the rest of the gateway.
export { DEFAULTS } from './defaults.js';
export type { Defaults } from './defaults.js';
export { MAX_TIMER_MS, parseDuration, tryParseDuration } from './duration.js';
export { expandString } from './expand-env.js';
export type { Env, Expansion } from './expand-env.js';
export { formatPath, hasErrors } from './issues.js';
export type { ConfigIssue, IssueSeverity } from './issues.js';
export { loadConfigFile, loadConfigText } from './load.js';
export type { LoadResult, LoadTextOptions } from './load.js';
export { normalizeConfig, requestTimeout } from './normalize.js';
export type { NormalizeOptions } from './normalize.js';
export { configSchema } from './schema.js';
export type { UserBackend, UserConfig } from './schema.js';
export { renderSchema, SCHEMA_ID } from './json-schema.js';
export type * from './types.js';
