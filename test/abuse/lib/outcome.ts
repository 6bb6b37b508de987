// A tool call's outcome as data (result text or error code), so a test can assert on it and print
// exactly what it saw when it differs.
import type { Client } from '@modelcontextprotocol/client';
import { text } from '../../helpers/gateway.js';
import type { CliGateway } from './cli-gateway.js';

export interface Outcome {
  ok: boolean;
  text?: string;
  code?: number;
  dataCode?: string;
  message?: string;
  ms: number;
}

/** Call `name` through `client`; a gateway exit or a call longer than `timeoutMs` is an outcome too. */
export async function callTool(
  gw: CliGateway,
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  timeoutMs = 30_000,
): Promise<Outcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const result = await gw.guard(client.request({ method: 'tools/call', params: { name, arguments: args } }, { timeout: timeoutMs }));
    return { ok: true, text: text(result as never), ms: ms() };
  } catch (err) {
    const e = err as { code?: number; message?: string; data?: { code?: string } };
    return {
      ok: false,
      ...(typeof e.code === 'number' ? { code: e.code } : {}),
      ...(e.data?.code ? { dataCode: e.data.code } : {}),
      message: String(e.message).slice(0, 400),
      ms: ms(),
    };
  }
}

export const show = (o: Outcome): string => JSON.stringify({ ...o, text: o.text?.slice(0, 80) });
