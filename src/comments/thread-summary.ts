// What the author's inbox knows about a thread, derived from the thread's comments. Pure.
import type { CommentStatus, Visibility } from '../db/tables.js';

export interface SummaryRow {
  id: string;
  root_id: string;
  status: CommentStatus;
  visibility: Visibility;
  staff_user_id: string | null;
  created_at: number;
}

export interface ThreadSummary {
  last_reader_at: number | null;
  last_staff_at: number | null;
  awaiting_since: number | null;
  awaiting_comment_id: string | null;
  reply_count: number;
  public_count: number;
}

const byTime = (a: SummaryRow, b: SummaryRow) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Only published words count. The thread awaits an answer from the oldest published reader comment
 * (public or private) written after the last published staff reply; a staff reply answers it.
 * `dismissedAt` is when staff marked the thread "no reply needed": words written up to then await
 * nothing, so only a reader's later follow-up brings the thread back.
 */
export function summarizeThread(rows: readonly SummaryRow[], dismissedAt: number | null = null): ThreadSummary {
  const shown = rows.filter((r) => r.status === 'published').sort(byTime);
  let lastReader: number | null = null;
  let lastStaff: number | null = null;
  let awaiting: SummaryRow | null = null;
  for (const r of shown) {
    if (r.staff_user_id !== null) {
      lastStaff = r.created_at;
      awaiting = null;
    } else {
      lastReader = r.created_at;
      if (dismissedAt === null || r.created_at > dismissedAt) awaiting ??= r;
    }
  }
  return {
    last_reader_at: lastReader,
    last_staff_at: lastStaff,
    awaiting_since: awaiting?.created_at ?? null,
    awaiting_comment_id: awaiting?.id ?? null,
    reply_count: shown.filter((r) => r.id !== r.root_id).length,
    public_count: shown.filter((r) => r.visibility === 'public').length,
  };
}

/**
 * The summary after one more comment, from the summary before it, without reading the thread:
 * what `summarizeThread` gives for the rows plus `row`, when `row` is new to the thread. Null
 * when it cannot be told this way (a published comment not later than every published one, whose
 * place in the order the summary does not show): the caller recounts the thread then.
 */
export function summaryWith(before: ThreadSummary, row: SummaryRow, dismissedAt: number | null): ThreadSummary | null {
  // Only published words count.
  if (row.status !== 'published') return before;
  // The latest published comment is the later of the last reader's and the last staff's; a comment
  // at the same instant could sort either side of it (by id), so only a strictly later one extends.
  const latest = Math.max(before.last_reader_at ?? Number.NEGATIVE_INFINITY, before.last_staff_at ?? Number.NEGATIVE_INFINITY);
  if (!(row.created_at > latest)) return null;
  const counts = {
    reply_count: before.reply_count + (row.id !== row.root_id ? 1 : 0),
    public_count: before.public_count + (row.visibility === 'public' ? 1 : 0),
  };
  if (row.staff_user_id !== null) {
    return { ...before, ...counts, last_staff_at: row.created_at, awaiting_since: null, awaiting_comment_id: null };
  }
  const startsWait = before.awaiting_comment_id === null && (dismissedAt === null || row.created_at > dismissedAt);
  return {
    ...before,
    ...counts,
    last_reader_at: row.created_at,
    ...(startsWait ? { awaiting_since: row.created_at, awaiting_comment_id: row.id } : {}),
  };
}
