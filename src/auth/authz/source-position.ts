// Turns the positions Cedar reports into line/column for `vmcp validate`.
// Cedar (Rust, miette spans) reports UTF-8 *byte* offsets, while editors count characters:
// a policy file with "é" in a comment would otherwise point at the wrong column.

export interface LineColumn {
  readonly line: number; // 1-based
  readonly column: number; // 1-based, in characters (UTF-16 code units, as editors show them)
}

/** Maps a byte offset in `text` (UTF-8) to a 1-based line and column. */
export function byteOffsetToLineColumn(text: string, byteOffset: number): LineColumn {
  const bytes = Buffer.from(text, 'utf8');
  const clamped = Math.max(0, Math.min(byteOffset, bytes.length));
  const before = bytes.subarray(0, clamped).toString('utf8');
  return charOffsetToLineColumn(before, before.length);
}

/** Maps a character (UTF-16) offset in `text` to a 1-based line and column. */
export function charOffsetToLineColumn(text: string, charOffset: number): LineColumn {
  const before = text.slice(0, Math.max(0, charOffset));
  const lastNewline = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: before.length - lastNewline };
}
