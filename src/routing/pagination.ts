// The gateway pages its own aggregated lists (MCP "Pagination"): an opaque cursor names the catalog
// version and the offset, so paging is stable while the catalog holds; a cursor from an older
// catalog, or one the gateway never issued, is a clear -32602 error, never a silently wrong page.
import { ErrorCodes, VmcpError } from '../errors/codes.js';

interface CursorState {
  v: number;
  o: number;
  k: string;
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursor(cursor: string): CursorState | undefined {
  try {
    const s = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorState>;
    if (typeof s.v === 'number' && typeof s.o === 'number' && typeof s.k === 'string' && Number.isInteger(s.o) && s.o > 0)
      return s as CursorState;
  } catch {
    // fall through: not ours
  }
  return undefined;
}

/** One page of `items` starting at the cursor (`pageSize` undefined: all the rest); `nextCursor` only when more remain. */
export function page<T>(
  method: string,
  items: readonly T[],
  version: number,
  pageSize: number | undefined,
  cursor: string | undefined,
): { items: readonly T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const state = decodeCursor(cursor);
    if (!state || state.k !== method) {
      throw new VmcpError(
        ErrorCodes.INVALID_PARAMS,
        `Invalid params for ${method}: params.cursor is not a cursor this gateway issued for ${method}`,
        { method },
      );
    }
    if (state.v !== version) {
      throw new VmcpError(
        ErrorCodes.INVALID_PARAMS,
        `Invalid params for ${method}: the cursor is stale (the list changed since it was issued); list again without a cursor`,
        { method, stale: true },
      );
    }
    offset = state.o;
  }
  const end = pageSize === undefined ? items.length : offset + pageSize;
  // The whole list is the catalog's own (frozen) array: the edge keeps its serialization (edge/list-body.ts).
  const slice = offset === 0 && end >= items.length ? items : items.slice(offset, end);
  return end < items.length ? { items: slice, nextCursor: encodeCursor({ v: version, o: end, k: method }) } : { items: slice };
}
