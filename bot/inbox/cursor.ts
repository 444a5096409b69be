/** The opaque paging cursor of the conversation list: the last row's activity time and id. */
export interface PageCursor {
  at: string;
  id: string;
}

export class BadCursorError extends Error {
  override name = 'BadCursorError';
}

export function encodeCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

/** Throws BadCursorError for anything this server did not hand out. */
export function decodeCursor(raw: string): PageCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((v) => typeof v === 'string' && v.length <= 200)
    ) {
      return { at: value[0] as string, id: value[1] as string };
    }
  } catch {
    // Not JSON: reported below like any other cursor this server did not make.
  }
  throw new BadCursorError('the cursor is not one this server handed out; start again without it');
}
