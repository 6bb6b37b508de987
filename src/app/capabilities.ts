// What a client session is offered: the union of what the backends offer (each backend's last
// known capabilities), and no more: no `completions` unless a backend completes, no
// `resources.subscribe` unless one supports it. `listChanged` is always set because the gateway
// itself announces catalog changes. A backend never seen yet (down since start) may bring tools.
import type { BackendConnector, JsonObject } from '../backends/connector.js';

/** `gatewayLogs`: the gateway itself sends log notices (e.g. a per-user backend refused the caller). */
export function unionCapabilities(connectors: readonly BackendConnector[], gatewayLogs = false): JsonObject {
  const caps: JsonObject = {};
  const offered = connectors.map((c) => c.info?.capabilities).filter((c): c is JsonObject => c !== undefined);
  if (offered.some((c) => c['tools']) || offered.length < connectors.length) caps['tools'] = { listChanged: true };
  if (offered.some((c) => c['prompts'])) caps['prompts'] = { listChanged: true };
  if (offered.some((c) => c['resources'])) {
    const subscribe = offered.some((c) => (c['resources'] as JsonObject | undefined)?.['subscribe'] === true);
    caps['resources'] = { listChanged: true, ...(subscribe ? { subscribe: true } : {}) };
  }
  if (gatewayLogs || offered.some((c) => c['logging'])) caps['logging'] = {};
  if (offered.some((c) => c['completions'])) caps['completions'] = {};
  return caps;
}

/** Each backend's instructions under its name, so a model knows which tools they describe. */
export function mergeInstructions(connectors: readonly BackendConnector[]): string | undefined {
  const parts = connectors.filter((c) => c.info?.instructions).map((c) => `## ${c.name}\n${c.info!.instructions!.trim()}`);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}
