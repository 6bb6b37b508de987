// Plain aligned text tables for terminal output. Cells may carry ANSI colour (SGR) codes: widths
// count only what the terminal shows, so colour never breaks the alignment.
const SGR = /\x1b\[[0-9;]*m/g;

/** The number of characters a terminal shows for `text` (SGR colour codes take no columns). */
export function visibleLength(text: string): number {
  return text.replace(SGR, '').length;
}

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const pad = (cell: string, width: number) => cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
