// What the author's inbox knows about a thread, derived from the thread's comments. Pure.
import type { CommentStatus, Visibility } from '../db/tables.js';

export interface SummaryRow {
  id: string;
  root_id: string;
  status: CommentStatus;
  visibility: Visibility;
  staff_user_id: string | null;
  /** A mention (pingback, trackback) is counted but never awaits an answer. */
  kind: 'comment' | 'mention';
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

/** The columns of a thread's row that hold its summary. */
export const THREAD_SUMMARY_COLUMNS = [
  'last_reader_at',
  'last_staff_at',
  'awaiting_since',
  'awaiting_comment_id',
  'reply_count',
  'public_count',
] as const satisfies readonly (keyof ThreadSummary)[];

const byTime = (a: SummaryRow, b: SummaryRow) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A reader's words that wait for an answer: published, or held for the author (a first-time reader). */
function waitsForAnswer(r: SummaryRow): boolean {
  return r.staff_user_id === null && r.kind === 'comment' && (r.status === 'published' || r.status === 'pending');
}

/**
 * Only published words count, and are shown. The thread awaits an answer from the oldest reader
 * comment (published, or held for approval; public or private; not a mention) written after the
 * last published staff reply; a staff reply answers it. `dismissedAt` is when staff marked the
 * thread "no reply needed" (or an import left its old words out): words written up to then await
 * nothing, so only a reader's later follow-up brings the thread back.
 */
export function summarizeThread(rows: readonly SummaryRow[], dismissedAt: number | null = null): ThreadSummary {
  const timeline = rows.filter((r) => r.status === 'published' || r.status === 'pending').sort(byTime);
  let lastReader: number | null = null;
  let lastStaff: number | null = null;
  let awaiting: SummaryRow | null = null;
  let replies = 0;
  let shownPublicly = 0;
  for (const r of timeline) {
    if (r.status === 'published') {
      if (r.id !== r.root_id) replies++;
      if (r.visibility === 'public') shownPublicly++;
      if (r.staff_user_id !== null) {
        lastStaff = r.created_at;
        awaiting = null;
      } else lastReader = r.created_at;
    }
    if (waitsForAnswer(r) && (dismissedAt === null || r.created_at > dismissedAt)) awaiting ??= r;
  }
  return {
    last_reader_at: lastReader,
    last_staff_at: lastStaff,
    awaiting_since: awaiting?.created_at ?? null,
    awaiting_comment_id: awaiting?.id ?? null,
    reply_count: replies,
    public_count: shownPublicly,
  };
}

/**
 * The summary after one more comment, from the summary before it, without reading the thread:
 * what `summarizeThread` gives for the rows plus `row`, when `row` is new to the thread. Null
 * when it cannot be told this way (a published comment not later than every published one, whose
 * place in the order the summary does not show): the caller recounts the thread then.
 */
export function summaryWith(before: ThreadSummary, row: SummaryRow, dismissedAt: number | null): ThreadSummary | null {
  // Spam, trash and a held staff comment change nothing.
  if (row.status !== 'published' && !waitsForAnswer(row)) return before;
  // The latest published comment is the later of the last reader's and the last staff's; a comment
  // at the same instant could sort either side of it (by id), so only a strictly later one extends.
  const latest = Math.max(before.last_reader_at ?? Number.NEGATIVE_INFINITY, before.last_staff_at ?? Number.NEGATIVE_INFINITY);
  if (!(row.created_at > latest)) return null;
  // A held comment may be the one awaiting: only one clearly before or after it can be placed.
  if (before.awaiting_since !== null && row.created_at === before.awaiting_since) return null;
  if (row.staff_user_id !== null) {
    // A published staff reply answers what waits, unless a held comment came after it: held ones
    // are not in the summary, so a thread that waits is counted again.
    if (before.awaiting_comment_id !== null) return null;
    return {
      ...before,
      reply_count: before.reply_count + (row.id !== row.root_id ? 1 : 0),
      public_count: before.public_count + (row.visibility === 'public' ? 1 : 0),
      last_staff_at: row.created_at,
      awaiting_since: null,
      awaiting_comment_id: null,
    };
  }
  const published = row.status === 'published';
  const counts = published
    ? {
        reply_count: before.reply_count + (row.id !== row.root_id ? 1 : 0),
        public_count: before.public_count + (row.visibility === 'public' ? 1 : 0),
        last_reader_at: row.created_at,
      }
    : {};
  const mayWait = waitsForAnswer(row) && (dismissedAt === null || row.created_at > dismissedAt);
  const waitsFirst = mayWait && (before.awaiting_since === null || row.created_at < before.awaiting_since);
  return { ...before, ...counts, ...(waitsFirst ? { awaiting_since: row.created_at, awaiting_comment_id: row.id } : {}) };
}
