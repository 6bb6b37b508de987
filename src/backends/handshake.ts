// A health probe of an HTTP backend that is not connected: a fresh initialize handshake and a ping
// over a transport carrying probe credentials, so the probe can tell "refuses the connection" from
// "answers 401 without credentials". The SDK Client is built only in backends/.
import { Client, type Transport } from '@modelcontextprotocol/client';

export async function handshake(transport: Transport, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const client = new Client({ name: 'vmcp-health-probe', version: '1' });
  try {
    await client.connect(transport, { signal, timeout: timeoutMs });
    await client.ping({ signal, timeout: timeoutMs });
  } finally {
    await client.close().catch(() => undefined);
  }
}
