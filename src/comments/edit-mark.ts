// Who last changed a comment's words and when, as staff see it beside the comment ("edited by Mo
// Derator, Mar 1, 2026, 9:05 AM"). Readers see only the plain "edited" of the public thread.
import type { CommentRow } from '../db/tables.js';

export interface EditMark {
  at: number;
  /** The name to show; null when nobody knows (an edit older than this record). */
  by: string | null;
  /** The staff member who edited; null when it was the writer herself, or unknown. */
  staffId: string | null;
}

type Edited = Pick<CommentRow, 'edited_at' | 'edited_by' | 'author_name'>;

/** The staff ids whose names the marks of these comments need. */
export const editorIds = (rows: readonly Edited[]): string[] => [
  ...new Set(rows.flatMap((r) => (r.edited_at !== null && r.edited_by && r.edited_by !== 'writer' ? [r.edited_by] : []))),
];

/** The mark of one comment, given the names of staff by id; null when it was never edited. */
export function editMarkOf(row: Edited, names: ReadonlyMap<string, string>): EditMark | null {
  if (row.edited_at === null) return null;
  const by = row.edited_by ?? null;
  if (by === null) return { at: row.edited_at, by: null, staffId: null };
  // A reader edits only her own words, under her own name.
  if (by === 'writer') return { at: row.edited_at, by: row.author_name, staffId: null };
  return { at: row.edited_at, by: names.get(by) ?? 'a former staff member', staffId: by };
}
