// execute_tool_script is the gateway's own tool. A backend tool of that name would be shadowed
// by it and so escape its own authorization check (stacklok/toolhive#5845), so the gateway
// refuses to start rather than serve either.
import { ErrorCodes, VmcpError } from '../errors/codes.js';

export const EXECUTE_TOOL_SCRIPT = 'execute_tool_script';

export interface AdvertisedTool {
  readonly name: string;
  /** The backend that advertises it, for the message. */
  readonly backend?: string;
}

/** Throws VMCP_NAME_CONFLICT when any advertised tool already has the reserved name. */
export function assertNoReservedToolName(tools: Iterable<AdvertisedTool>): void {
  for (const tool of tools) {
    if (tool.name !== EXECUTE_TOOL_SCRIPT) continue;
    const owner = tool.backend === undefined ? 'a backend' : `backend "${tool.backend}"`;
    throw new VmcpError(
      ErrorCodes.NAME_CONFLICT,
      `${owner} advertises a tool named "${EXECUTE_TOOL_SCRIPT}", the name code mode reserves for itself: ` +
        'rename it (aggregation.tools[].overrides), filter it out, or turn codeMode off',
      { tool: EXECUTE_TOOL_SCRIPT, ...(tool.backend === undefined ? {} : { backend: tool.backend }) },
    );
  }
}
