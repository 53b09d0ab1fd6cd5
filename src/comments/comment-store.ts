// Comment rows, their revisions and the per-thread summary kept beside them. Callers own the
// transaction; every function takes the database or a transaction.
import { CompiledQuery, type Expression, type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { batchAnswerSeesItsWrites, compiledBatch, compiledRead, compiledStatement, type ValueOf } from '../db/compiled-statement.js';
import type { Db } from '../db/connect.js';
import { jsonParameter } from '../db/grouped.js';
import { prepareOnEachConnection } from '../db/prepared.js';
import type { CommentRow, CommentStatus, Database, OutboxRow, PostRow, StaffRole, ThreadRow } from '../db/tables.js';
import { queueUnlessQueued } from '../notify/outbox-store.js';
import { POST_COLUMNS_TO_WRITE_ON, type PostToWriteOn, visibleAt } from '../posts/post-store.js';
import { countsPublicly } from './comment-states.js';
import { COUNT_CAP } from './count-cap.js';
import { type SummaryRow, summarizeThread, summaryWith, THREAD_SUMMARY_COLUMNS, type ThreadSummary } from './thread-summary.js';

/** Every column a comment written here gives; an import's text format is the column's default. */
export const NEW_COMMENT_COLUMNS = [
  'id',
  'post_id',
  'parent_id',
  'root_id',
  'depth',
  'status',
  'visibility',
  'author_name',
  'author_email',
  'author_url',
  'staff_user_id',
  'markdown',
  'html',
  'edit_token_hash',
  'notify',
  'ip',
  'user_agent',
  'kind',
  'source',
  'source_id',
  'created_at',
  'edited_at',
  'origin',
  'origin_url',
] as const;
export type NewCommentRow = Pick<CommentRow, (typeof NEW_COMMENT_COLUMNS)[number]>;

const insertCommentStatement = compiledStatement<NewCommentRow, unknown>((db, value) =>
  db.insertInto('comments').values(Object.fromEntries(NEW_COMMENT_COLUMNS.map((column) => [column, value(column)])) as NewCommentRow),
);

export async function insertComment(db: Db, comment: NewCommentRow): Promise<void> {
  await insertCommentStatement(db, comment);
}

export function findComment(db: Db, id: string): Promise<CommentRow | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

export type CommentPatch = Partial<
  Pick<
    CommentRow,
    'status' | 'visibility' | 'markdown' | 'html' | 'source_format' | 'edited_at' | 'edited_by' | 'author_name' | 'author_url' | 'notify'
  >
>;

export async function updateComment(db: Db, id: string, patch: CommentPatch): Promise<void> {
  await db.updateTable('comments').set(patch).where('id', '=', id).execute();
}

export async function insertRevision(
  db: Db,
  rev: { id: string; comment_id: string; markdown: string; edited_at: number; edited_by: string },
) {
  await db.insertInto('comment_revisions').values(rev).execute();
}

export function listRevisions(db: Db, commentId: string) {
  return db.selectFrom('comment_revisions').selectAll().where('comment_id', '=', commentId).orderBy('edited_at').orderBy('id').execute();
}

/** The post a comment belongs to, with what the rules about comments need. */
export function findPostOfComment(db: Db, postId: string): Promise<PostRow | undefined> {
  return db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirst();
}

/**
 * Brings a thread's summary in step with its comments. Called in the transaction of every write
 * that touches the thread (approve, spam, trash, restore, edit, delete), it derives the summary
 * from the thread's rows rather than patching it, so no sequence of moves can leave it wrong. The
 * post's count of threads readers see moves with it.
 */
export async function noteCommentInThread(db: Db, c: Pick<CommentRow, 'root_id' | 'post_id'>): Promise<void> {
  // A "no reply needed" mark (src/inbox) outlives every recount of the thread.
  const [thread] = (await threadOfRoot(db, { rootId: c.root_id })).rows;
  const shownBefore = (thread?.public_count ?? 0) > 0;
  const shownAfter = await recountThread(db, c, thread?.dismissed_at ?? null);
  await bumpPostCounts(db, c.post_id, 0, Number(shownAfter) - Number(shownBefore));
}

// Its columns named: a statement prepared on each connection that selected every column would
// fail ("cached plan must not change result type") once a migration added one, in a process of the
// version before during a rolling upgrade. The kept HTML is not needed here either.
const threadOfRoot = compiledStatement<{ rootId: string }, Omit<ThreadRow, 'public_html' | 'html_key'>>((db, value) =>
  db
    .selectFrom('threads')
    .select(['root_id', 'post_id', ...THREAD_SUMMARY_COLUMNS, 'dismissed_at'])
    .where('root_id', '=', value('rootId')),
);

const rowsOfThread = compiledStatement<{ rootId: string }, SummaryRow>((db, value) =>
  db
    .selectFrom('comments')
    .select(['id', 'root_id', 'status', 'visibility', 'staff_user_id', 'kind', 'created_at'])
    .where('root_id', '=', value('rootId')),
);

/** The summary's columns, each standing for its value at every call. */
const summaryOf = (value: ValueOf<ThreadSummary>) =>
  Object.fromEntries(THREAD_SUMMARY_COLUMNS.map((column) => [column, value(column)])) as unknown as ThreadSummary;

// The kept HTML is not the summary's: triggers empty it, thread-html.ts fills it.
const upsertThread = compiledStatement<Omit<ThreadRow, 'public_html' | 'html_key'>, unknown>((db, value) => {
  const summary = summaryOf(value);
  return db
    .insertInto('threads')
    .values({ root_id: value('root_id'), post_id: value('post_id'), ...summary })
    .onConflict((oc) => oc.column('root_id').doUpdateSet(summary));
});

/** Stores the thread's summary counted from its rows; whether readers see the thread now. */
async function recountThread(db: Db, c: Pick<CommentRow, 'root_id' | 'post_id'>, dismissedAt: number | null): Promise<boolean> {
  const { rows } = await rowsOfThread(db, { rootId: c.root_id });
  const summary = summarizeThread(rows, dismissedAt);
  await upsertThread(db, { root_id: c.root_id, post_id: c.post_id, dismissed_at: dismissedAt, ...summary });
  return summary.public_count > 0;
}

const updateThreadSummary = compiledStatement<ThreadSummary & { rootId: string }, unknown>((db, value) =>
  db.updateTable('threads').set(summaryOf(value)).where('root_id', '=', value('rootId')),
);

/**
 * A new comment's part in its thread's summary and in its post's counts. Every write keeps the
 * stored summary equal to `summarizeThread` of the thread's rows, so a comment newer than all the
 * thread's published ones extends it (`summaryWith`) without reading the thread, and a comment not
 * published leaves it as it is. A new thread, or a comment that must be placed among the others, is
 * counted from the rows.
 */
export async function noteNewCommentInThread(db: Db, c: SummaryRow & Pick<CommentRow, 'post_id'>): Promise<void> {
  const comments = countsPublicly(c) ? 1 : 0;
  const [thread] = (await threadOfRoot(db, { rootId: c.root_id })).rows;
  const shownBefore = (thread?.public_count ?? 0) > 0;
  const next = thread ? summaryWith(thread, c, thread.dismissed_at) : null;
  if (!thread || !next) {
    const shownAfter = await recountThread(db, c, thread?.dismissed_at ?? null);
    return bumpPostCounts(db, c.post_id, comments, Number(shownAfter) - Number(shownBefore));
  }
  if (next !== thread) await updateThreadSummary(db, { ...next, rootId: c.root_id });
  await bumpPostCounts(db, c.post_id, comments, Number(next.public_count > 0) - Number(shownBefore));
}

/** What a comment that starts a thread is written with: its row, its thread, its counts, its event. */
export interface NewThread {
  comment: NewCommentRow;
  summary: ThreadSummary;
  /** The thread's kept HTML (null: readers see none of it) and what it was rendered with. */
  html: string | null;
  htmlKey: string;
  /** Added to the post's count of published public comments and of threads readers see. */
  counts: { comments: number; threads: number };
  /** The outbox row that announces it, if any. */
  event: Pick<OutboxRow, 'id' | 'kind' | 'payload' | 'dedupe_key' | 'next_attempt_at' | 'created_at'> | null;
}

type NewThreadValues = NewCommentRow &
  ThreadSummary & {
    public_html: string | null;
    html_key: string;
    postId: string;
    comments: number;
    threads: number;
    outbox_id: string;
    outbox_kind: string;
    outbox_payload: string;
    outbox_dedupe_key: string;
    outbox_next_attempt_at: number;
    outbox_created_at: number;
  };

/** Threads newer than a new one are counted up to this many: beyond it, she is placed by reading. */
const NEWER_CAP = 64;

/**
 * What the write of a new public thread tells of its place: the post's count of public threads as
 * the write left it (`counted`), how many of those the write's own snapshot did not see (`unseen`:
 * written by others while it waited for the post's row), and how many it saw that are newer.
 */
type NewThreadPlace = { counted: number; unseen: number; newer: number };

/** The writes of a new thread, with or without the post's counts and the outbox event. */
const newThreadBatch = (counts: boolean, event: boolean) =>
  compiledBatch<NewThreadValues, NewThreadPlace>((db, value) => {
    // The values hidden from the planner, as in the writer's history: an id newer than any it
    // has seen looks as if no thread could follow it, and PostgreSQL would plan the whole
    // statement anew for each comment (280 µs), thinking that plan the cheaper.
    const postId = sql<string>`(select ${value('postId')})`;
    const newer = sql<number>`(select count(*) from (select 1 from threads where post_id = ${postId} and ${publicThread} and root_id > (select ${value('id')}) limit ${sql.lit(NEWER_CAP)}) newer)`;
    const postCount = sql<number>`(select public_thread_count from posts where id = ${postId})`;
    // Run after the writes, the answer sees all of them (one writer at a time). Within the one
    // statement, it reads the count as written in the update's RETURNING (part 2), and the post
    // as the statement's snapshot saw it.
    const place = (list: Db) =>
      batchAnswerSeesItsWrites(db)
        ? list.selectNoFrom([postCount.as('counted'), sql<number>`0`.as('unseen'), newer.as('newer')])
        : list.selectNoFrom([
            sql<number>`(select public_thread_count from part_2)`.as('counted'),
            sql<number>`(select public_thread_count from part_2) - 1 - ${postCount}`.as('unseen'),
            newer.as('newer'),
          ]);
    return {
      parts: [
        db.insertInto('comments').values(Object.fromEntries(NEW_COMMENT_COLUMNS.map((column) => [column, value(column)])) as NewCommentRow),
        // The thread is new (its id is the comment's, just made): nothing to read, nothing to merge.
        db.insertInto('threads').values({
          root_id: value('id'),
          post_id: value('post_id'),
          ...summaryOf(value),
          public_html: value('public_html'),
          html_key: value('html_key'),
        }),
        ...(counts ? [addToPostCounts.build(db, value).returning('public_thread_count')] : []),
        ...(event ? [queueUnlessQueued(db, (name) => value(`outbox_${name}`) as never)] : []),
      ],
      ...(counts ? { answer: place } : {}),
    };
  });
const NEW_THREAD = {
  uncounted: { quiet: newThreadBatch(false, false), told: newThreadBatch(false, true) },
  counted: { quiet: newThreadBatch(true, false), told: newThreadBatch(true, true) },
};

/** Between how many (`least`) and how many (`most`) of its post's public threads come before a thread. */
export type ThreadsBefore = { least: number; most: number };

/**
 * Writes a comment that starts a thread together with everything that moves with it, in one
 * round trip to PostgreSQL (one statement, so it commits on its own when `db` is no transaction).
 * No count is read: the thread is new, so its summary and HTML come from the comment itself.
 *
 * Gives back, for a thread readers see, how many such threads its post has before it (oldest
 * first), as the write itself counted them: every thread written before hers is in the post's
 * count (they take their turns on its row), less those newer than hers. A thread another writer
 * counted while this write waited its turn, unseen by it, may be older or newer than hers: so the
 * answer is a range, as wide as they are many (none, unless writers meet on one post).
 */
export async function startThread(db: Db, t: NewThread): Promise<{ threadsBefore: ThreadsBefore | null }> {
  const { comment, event } = t;
  const counted = t.counts.comments !== 0 || t.counts.threads !== 0;
  const [place] = await NEW_THREAD[counted ? 'counted' : 'uncounted'][event ? 'told' : 'quiet'](db, {
    ...comment,
    ...t.summary,
    public_html: t.html,
    html_key: t.htmlKey,
    comments: t.counts.comments,
    threads: t.counts.threads,
    postId: comment.post_id,
    outbox_id: event?.id ?? '',
    outbox_kind: event?.kind ?? '',
    outbox_payload: event?.payload ?? '',
    outbox_dedupe_key: event?.dedupe_key ?? '',
    outbox_next_attempt_at: event?.next_attempt_at ?? 0,
    outbox_created_at: event?.created_at ?? 0,
  } as NewThreadValues);
  return { threadsBefore: t.counts.threads === 1 ? threadsBeforeOf(place) : null };
}

/** A new public thread's place from what its write counted; null when it must be read after. */
function threadsBeforeOf(place: NewThreadPlace | undefined): ThreadsBefore | null {
  if (!place || Number(place.newer) >= NEWER_CAP) return null;
  const most = Number(place.counted) - 1 - Number(place.newer);
  return { least: Math.max(0, most - Number(place.unseen)), most };
}

/**
 * Threads started together (PostgreSQL only: src/db/grouped.ts says why), written as one
 * statement, each part reading its rows from a JSON list: the comments, their threads, each post's
 * counts moved once by the sum of its threads', and the events. Each thread's place is told as
 * `startThread` tells it, counting the group's own threads on the same post as written before the
 * statement's snapshot: those older than hers come before her, those newer after.
 */
const START_THREADS = (() => {
  const comments = NEW_COMMENT_COLUMNS.join(', ');
  const threads = ['root_id', 'post_id', ...THREAD_SUMMARY_COLUMNS, 'public_html', 'html_key'].join(', ');
  const events = 'id, kind, payload, dedupe_key, next_attempt_at, created_at';
  // The group's public threads, each with how many of the group's on its post are newer.
  const shown = `select root_id, post_id, count(*) over (partition by post_id order by root_id desc) - 1 as newer
    from json_populate_recordset(null::threads, $2::json) where public_count > 0`;
  const text = `with
    part_0 as (insert into comments (${comments}) select ${comments} from json_populate_recordset(null::comments, $1::json)),
    part_1 as (insert into threads (${threads}) select ${threads} from json_populate_recordset(null::threads, $2::json)),
    part_2 as (update posts set comment_count = comment_count + d.comments, public_thread_count = public_thread_count + d.threads
      from json_to_recordset($3::json) as d(post_id text, comments int, threads int) where posts.id = d.post_id
      returning posts.id, posts.public_thread_count, d.threads),
    part_3 as (insert into outbox (${events}, status, attempts)
      select ${events}, 'queued', 0 from json_populate_recordset(null::outbox, $4::json) on conflict (dedupe_key) do nothing)
  select t.root_id, p.public_thread_count as counted,
    p.public_thread_count - p.threads - (select public_thread_count from posts where id = t.post_id) as unseen,
    t.newer + (select count(*) from (select 1 from threads where post_id = t.post_id and public_count > 0
      and root_id > t.root_id limit ${NEWER_CAP}) newer) as newer
  from (${shown}) t
  join part_2 p on p.id = t.post_id`;
  prepareOnEachConnection(text);
  return text;
})();

export async function startThreads(db: Db, list: readonly NewThread[]): Promise<{ threadsBefore: ThreadsBefore | null }[]> {
  const counts = new Map<string, { post_id: string; comments: number; threads: number }>();
  for (const { comment, counts: add } of list) {
    const sum = counts.get(comment.post_id) ?? { post_id: comment.post_id, comments: 0, threads: 0 };
    sum.comments += add.comments;
    sum.threads += add.threads;
    counts.set(comment.post_id, sum);
  }
  const params = [
    jsonParameter(list.map((t) => t.comment)),
    jsonParameter(
      list.map((t) => ({ root_id: t.comment.id, post_id: t.comment.post_id, ...t.summary, public_html: t.html, html_key: t.htmlKey })),
    ),
    jsonParameter([...counts.values()].filter((c) => c.comments !== 0 || c.threads !== 0)),
    jsonParameter(list.flatMap((t) => (t.event ? [t.event] : []))),
  ];
  const { rows } = await db.executeQuery<NewThreadPlace & { root_id: string }>(CompiledQuery.raw(START_THREADS, params));
  const places = new Map(rows.map((row) => [row.root_id, row]));
  return list.map((t) => ({ threadsBefore: t.counts.threads === 1 ? threadsBeforeOf(places.get(t.comment.id)) : null }));
}

/**
 * Removes a thread whose last comment is gone, and the thread from its post's count of threads
 * readers see.
 */
export async function removeThread(db: Db, c: Pick<CommentRow, 'root_id' | 'post_id'>): Promise<void> {
  const thread = await db.selectFrom('threads').select('public_count').where('root_id', '=', c.root_id).executeTakeFirst();
  await db.deleteFrom('threads').where('root_id', '=', c.root_id).execute();
  await bumpPostCounts(db, c.post_id, 0, (thread?.public_count ?? 0) > 0 ? -1 : 0);
}

/** Adds `delta` to a post's count of published public comments. */
export function bumpCommentCount(db: Db, postId: string, delta: number): Promise<void> {
  return bumpPostCounts(db, postId, delta, 0);
}

type PostCounts = { postId: string; comments: number; threads: number };
const postCountsUpdate = (db: Db, value: ValueOf<PostCounts>) =>
  db
    .updateTable('posts')
    .set({
      comment_count: sql`comment_count + ${value('comments')}`,
      public_thread_count: sql`public_thread_count + ${value('threads')}`,
    })
    .where('id', '=', value('postId'));
const addToPostCounts = Object.assign(compiledStatement<PostCounts, unknown>(postCountsUpdate), { build: postCountsUpdate });

/**
 * Adds to a post's count of published public comments and to its count of threads readers see,
 * in one statement.
 */
async function bumpPostCounts(db: Db, postId: string, comments: number, threads: number): Promise<void> {
  if (comments === 0 && threads === 0) return;
  await addToPostCounts(db, { postId, comments, threads });
}

/**
 * Sets posts' count of threads readers see from their threads (one post, or every post): after
 * writes that rebuild thread summaries in bulk (imports, restoring a backup).
 */
export async function recountPublicThreads(db: Db, postId?: string): Promise<void> {
  let update = db.updateTable('posts').set((eb) => ({
    public_thread_count: eb
      .selectFrom('threads')
      .select(eb.fn.countAll<number>().as('n'))
      .whereRef('threads.post_id', '=', 'posts.id')
      .where(sql<boolean>`threads.public_count > 0`),
  }));
  if (postId !== undefined) update = update.where('posts.id', '=', postId);
  await update.execute();
}

export type ThreadOrder = 'oldest' | 'newest';

// A literal, not a parameter: only then may the databases read threads_public_page_idx, whose
// rows are exactly these threads.
const publicThread = sql<boolean>`public_count > 0`;

type ThreadSide = 'older' | 'newer';

/**
 * In one statement (one snapshot): the post's count of threads readers see, whether the given
 * thread is one of them, and how many of them lie on one side of it, counted up to `cap`.
 */
const sideOfThread = (side: ThreadSide) =>
  compiledRead<{ postId: string; rootId: string; cap: number }, { total: number; own: number; n: number }>(
    (db, value) =>
      db
        .selectFrom('posts')
        .select((eb) => [
          'posts.public_thread_count as total',
          eb
            .selectFrom('threads as own')
            .select(eb.fn.countAll<number>().as('n'))
            .where('own.root_id', '=', value('rootId'))
            .where(sql<boolean>`own.public_count > 0`)
            .as('own'),
          eb
            .selectFrom(
              eb
                .selectFrom('threads as shown')
                .select(sql<number>`1`.as('one'))
                .where('shown.post_id', '=', value('postId'))
                .where(sql<boolean>`shown.public_count > 0`)
                .where('shown.root_id', side === 'newer' ? '>' : '<', value('rootId'))
                .limit(value('cap'))
                .as('side'),
            )
            .select(eb.fn.countAll<number>().as('n'))
            .as('n'),
        ])
        .where('posts.id', '=', value('postId')),
    ['total', 'own', 'n'],
  );
const THREADS_ON_SIDE = { newer: sideOfThread('newer'), older: sideOfThread('older') };

/**
 * How many public threads come before this one in the given order: its place for paging. Counting
 * them all would read every thread of the post; instead the threads on each side of this one are
 * counted a few at a time, alternately, until one side ends, and the other side is the post's kept
 * total less that side and the thread itself. A comment just written, or any near either end, costs
 * one short index range.
 */
export async function publicThreadsBefore(db: Db, postId: string, rootId: string, order: ThreadOrder): Promise<number> {
  for (let cap = 64; ; cap *= 32) {
    // Newer first: the comment just posted, whose page the writer is sent to, is the newest.
    for (const side of ['newer', 'older'] as const) {
      const [row] = await THREADS_ON_SIDE[side](db, { postId, rootId, cap });
      if (!row) return 0;
      const counted = Number(row.n);
      if (counted >= cap) continue;
      const rest = Number(row.total) - Number(row.own) - counted;
      const newer = side === 'newer' ? counted : rest;
      return order === 'oldest' ? Number(row.total) - Number(row.own) - newer : newer;
    }
  }
}

/** What a post page shows of a comment: its source words, email hash and the rest stay behind. */
export const SHOWN_COLUMNS = [
  'id',
  'parent_id',
  'root_id',
  'status',
  'visibility',
  'author_name',
  'author_url',
  'author_email',
  'staff_user_id',
  'html',
  'created_at',
  'edited_at',
  'origin',
  'origin_url',
] as const;
export type ShownCommentRow = Pick<CommentRow, (typeof SHOWN_COLUMNS)[number]>;

/**
 * The published public comments of the given threads of a post. Naming the post and the status
 * lets both databases read only these threads' rows from comments_thread_page_idx.
 */
const publicOfRoots = (db: Db, postId: string, rootIds: readonly string[]) =>
  db
    .selectFrom('comments')
    .where('post_id', '=', postId)
    .where('root_id', 'in', rootIds)
    .where('status', '=', 'published')
    .where('visibility', '=', 'public');

type PageOf = { postId: string; limit: number; offset: number };
type PageValues = ValueOf<PageOf>;

/** The ids of one page of a post's threads, in page order, for a statement compiled once. */
const pageRootsOf = (db: Db, value: PageValues, order: ThreadOrder) =>
  db
    .selectFrom('threads')
    .select('root_id')
    .where('post_id', '=', value('postId'))
    .where(publicThread)
    .orderBy('root_id', order === 'oldest' ? 'asc' : 'desc')
    .limit(value('limit'))
    .offset(value('offset'));

const rootsPage = (order: ThreadOrder) => compiledStatement<PageOf, { root_id: string }>((db, value) => pageRootsOf(db, value, order));
const ROOTS_PAGE = { oldest: rootsPage('oldest'), newest: rootsPage('newest') };

/** The top-level threads readers see on one page of a post. Ids are time-ordered (UUIDv7). */
export async function publicRootsPage(db: Db, postId: string, order: ThreadOrder, limit: number, offset: number): Promise<string[]> {
  return (await ROOTS_PAGE[order](db, { postId, limit, offset })).rows.map((r) => r.root_id);
}

const conversationPage = (order: ThreadOrder) =>
  compiledRead<PageOf, ShownCommentRow & { author_role: StaffRole | null }>(
    (db, value) =>
      db
        .selectFrom('comments')
        .leftJoin('users', 'users.id', 'comments.staff_user_id')
        .select([...SHOWN_COLUMNS.map((column) => `comments.${column}` as const), 'users.role as author_role'])
        .where('comments.post_id', '=', value('postId'))
        .where('comments.root_id', 'in', pageRootsOf(db, value, order))
        .where('comments.status', '=', 'published')
        .where('comments.visibility', '=', 'public'),
    [...SHOWN_COLUMNS, 'author_role'],
  );
const CONVERSATION_PAGE = { oldest: conversationPage('oldest'), newest: conversationPage('newest') };

/**
 * One page of a post's public conversation in one query (one round trip to PostgreSQL): the
 * published public comments of the page's threads, with the role of staff writers.
 */
export function publicConversationPage(db: Db, postId: string, order: ThreadOrder, limit: number, offset: number) {
  return CONVERSATION_PAGE[order](db, { postId, limit, offset });
}

const threadHtmlPage = (order: ThreadOrder) =>
  compiledRead<PageOf, { root_id: string; public_html: string | null; html_key: string | null }>(
    (db, value) =>
      db
        .selectFrom('threads')
        .select(['root_id', 'public_html', 'html_key'])
        .where('post_id', '=', value('postId'))
        .where(publicThread)
        .orderBy('root_id', order === 'oldest' ? 'asc' : 'desc')
        .limit(value('limit'))
        .offset(value('offset')),
    ['root_id', 'public_html', 'html_key'],
  );
const THREAD_HTML_PAGE = { oldest: threadHtmlPage('oldest'), newest: threadHtmlPage('newest') };

/** One page of a post's threads as kept HTML (src/comments/kept-html/thread-html.ts), in page order, with what each was rendered with. */
export function publicThreadHtmlPage(db: Db, postId: string, order: ThreadOrder, limit: number, offset: number) {
  return THREAD_HTML_PAGE[order](db, { postId, limit, offset });
}

const shownRowsOfThread = compiledStatement<
  { rootId: string },
  ShownCommentRow & { author_role: StaffRole | null; post_slug: string; post_language: string | null }
>((db, value) =>
  db
    .selectFrom('comments')
    .innerJoin('posts', 'posts.id', 'comments.post_id')
    .leftJoin('users', 'users.id', 'comments.staff_user_id')
    .select([
      ...SHOWN_COLUMNS.map((column) => `comments.${column}` as const),
      'users.role as author_role',
      'posts.slug as post_slug',
      'posts.language as post_language',
    ])
    .where('comments.root_id', '=', value('rootId')),
);

/** The published public comments of a thread as a page shows them, with staff roles and the post's slug. */
export async function publicRowsOfThread(db: Db, rootId: string) {
  const { rows } = await shownRowsOfThread(db, { rootId });
  // Chosen here, not in SQL: naming the state there leads SQLite to walk every comment in that state.
  return rows.filter((r) => r.status === 'published' && r.visibility === 'public');
}

const keepHtml = compiledStatement<{ rootId: string; html: string | null; key: string }, unknown>((db, value) =>
  db
    .updateTable('threads')
    .set({ public_html: value('html'), html_key: value('key') })
    .where('root_id', '=', value('rootId')),
);

/** Stores a thread's rendered HTML (null: nothing to show) and what it was rendered with. */
export async function keepThreadHtml(db: Db, rootId: string, html: string | null, key: string): Promise<void> {
  await keepHtml(db, { rootId, html, key });
}

/**
 * Threads readers see whose kept HTML is missing or was rendered with another key: `keyPrefix`
 * followed by the post's language, or the site's (src/comments/thread-html.ts).
 */
export async function threadsWithStaleHtml(db: Db, keyPrefix: string, siteLocale: string, limit: number, after = ''): Promise<string[]> {
  const key = sql<string>`${keyPrefix} || coalesce(posts.language, ${siteLocale})`;
  const rows = await db
    .selectFrom('threads')
    .innerJoin('posts', 'posts.id', 'threads.post_id')
    .select('root_id')
    .where(publicThread)
    .where('root_id', '>', after)
    .where((eb) => eb.or([eb('public_html', 'is', null), eb('html_key', 'is', null), eb('html_key', '<>', key)]))
    .orderBy('root_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.root_id);
}

/** Those comments as whole rows: for the JSON API, and for a viewer who may edit some of them. */
export function publicCommentRowsOfRoots(db: Db, postId: string, rootIds: readonly string[]): Promise<CommentRow[]> {
  return rootIds.length === 0 ? Promise.resolve([]) : publicOfRoots(db, postId, rootIds).selectAll().execute();
}

/** Every comment on a post written by the browser holding this credential, except deleted ones. */
/** Published public comments of these posts written since a time, oldest first (live catch-up). */
export function publicCommentsSince(db: Db, postIds: readonly string[], since: number, limit: number) {
  return db
    .selectFrom('comments')
    .select(['id', 'post_id', 'parent_id'])
    .where('post_id', 'in', postIds)
    .where('created_at', '>=', since)
    .where('status', '=', 'published')
    .where('visibility', '=', 'public')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** The name, email and website of the last comment written with this credential, if any. */
export function writerDetails(
  db: Db,
  credentialHash: string,
): Promise<{ author_name: string; author_email: string; author_url: string | null } | undefined> {
  return db
    .selectFrom('comments')
    .select(['author_name', 'author_email', 'author_url'])
    .where('edit_token_hash', '=', credentialHash)
    .where('staff_user_id', 'is', null)
    .where('status', '!=', 'trash')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function writerComments(db: Db, postId: string, credentialHash: string): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('edit_token_hash', '=', credentialHash)
    .where('post_id', '=', postId)
    .where('status', '!=', 'trash')
    .execute();
}

/** A post's published private comments: what its author and the owner read on the post page. */
export function privateCommentsOfPost(db: Db, postId: string): Promise<CommentRow[]> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('post_id', '=', postId)
    .where('status', '=', 'published')
    .where('visibility', '=', 'private')
    .execute();
}

/** Comments (any state) of the given threads that are private: shown to staff who may see them. */
export function commentsOfRoot(db: Db, rootId: string): Promise<CommentRow[]> {
  return db.selectFrom('comments').selectAll().where('root_id', '=', rootId).execute();
}

/** Every comment of these threads, in one read (an inbox page shows twenty). */
export function commentsOfRoots(db: Db, rootIds: readonly string[]): Promise<CommentRow[]> {
  if (rootIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('comments').selectAll().where('root_id', 'in', rootIds).execute();
}

/**
 * The writer's email as the planner sees it: a value it cannot look into. PostgreSQL plans a
 * prepared statement for each call's values while that plan looks cheaper than one for any values;
 * an address it has never seen looks rarer than the average one, so it planned this read anew on
 * every comment (200 µs, ten times its running). Hidden, every call is estimated alike, and after a
 * few calls the statement keeps one plan: the writer's comments by the email index, whoever she is.
 */
const writerEmail = (email: string | Expression<string>) => sql<string>`(select ${email})`;

/** What a new comment's reception asks of its writer's past (writerHistoryOf). */
export interface WriterHistory {
  duplicateId: string | null;
  published: boolean;
}

/**
 * The two reads of a writer's past, for the post `postId` names (a value, or the post read beside
 * them). Their constants are written into the SQL: as parameters, a plan for any value (the one
 * PostgreSQL would keep) looked dearer than one for these values, and every call was planned anew.
 */
const writerPast = (
  eb: ExpressionBuilder<Database, never>,
  postId: Expression<string>,
  email: string | Expression<string>,
  markdown: string | Expression<string>,
) =>
  [
    eb
      .selectFrom('comments')
      .select('id')
      .where('author_email', '=', writerEmail(email))
      // An expression, not the column: the writer's own comments (found by email) are a handful,
      // the post's may be thousands, and a plan made when the post had few must not walk them.
      .where(sql<string>`comments.post_id || ''`, '=', postId)
      .where('markdown', '=', markdown)
      .where('status', '!=', sql.lit('trash'))
      .limit(sql.lit(1))
      .as('writer_duplicate_id'),
    eb
      .selectFrom('comments')
      .select('id')
      .where('author_email', '=', writerEmail(email))
      .where('status', '=', sql.lit('published'))
      .limit(sql.lit(1))
      .as('writer_published_id'),
  ] as const;

type WriterPastRow = { writer_duplicate_id: string | null; writer_published_id: string | null };
const historyOf = (row: WriterPastRow | undefined): WriterHistory => ({
  duplicateId: row?.writer_duplicate_id ?? null,
  published: row?.writer_published_id != null,
});

const writerHistory = compiledStatement<{ postId: string; email: string; markdown: string }, WriterPastRow>((db, value) =>
  db.selectNoFrom((eb) => writerPast(eb, sql<string>`${value('postId')}`, value('email'), value('markdown'))),
);

/**
 * What a new comment's reception asks of its writer's past, in one read: the same words from the
 * same email on this post, not deleted (a resent form), and whether that email has a published
 * comment anywhere (then she is no first-timer).
 */
export async function writerHistoryOf(db: Db, postId: string, email: string, markdown: string): Promise<WriterHistory> {
  const [row] = (await writerHistory(db, { postId, email, markdown })).rows;
  return historyOf(row);
}

// A reader's comment from the post's form reads its post this way: one round trip, not two, and
// not the post's own words (PostToWriteOn).
const postWithWriterPast = compiledStatement<{ slug: string; now: number; email: string; markdown: string }, PostToWriteOn & WriterPastRow>(
  (db, value) =>
    db
      .selectFrom('posts')
      .select([...POST_COLUMNS_TO_WRITE_ON])
      .select((eb) =>
        writerPast(eb as unknown as ExpressionBuilder<Database, never>, sql<string>`posts.id`, value('email'), value('markdown')),
      )
      .where('slug', '=', value('slug'))
      .where(visibleAt(value('now'))),
);

/**
 * The post published at `slug` (as the posts' own read finds it, all but its words) with the
 * writer's history on it (writerHistoryOf), in one read; undefined when no post is published there.
 */
export async function findPostWithWriterHistory(
  db: Db,
  q: { slug: string; now: number; email: string; markdown: string },
): Promise<{ post: PostToWriteOn; history: WriterHistory } | undefined> {
  const [row] = (await postWithWriterPast(db, q)).rows;
  return row && postWithHistory(row);
}

function postWithHistory(row: PostToWriteOn & WriterPastRow): { post: PostToWriteOn; history: WriterHistory } {
  const { writer_duplicate_id: _duplicate, writer_published_id: _published, ...post } = row;
  return { post, history: historyOf(row) };
}

/** One comment's question to `findPostsWithWriterHistory`: the post's address and her words. */
export type WriterAsk = { slug: string; email: string; markdown: string };

// The same read for the comments of a group (PostgreSQL only: src/db/grouped.ts), each question
// numbered in a JSON list.
const postsWithWriterPasts = compiledStatement<{ asks: string; now: number }, PostToWriteOn & WriterPastRow & { ask: number }>(
  (db, value) =>
    db
      .selectFrom(
        sql<WriterAsk & { ask: number }>`(select (a->>'ask')::int as ask, a->>'slug' as slug, a->>'email' as email,
          a->>'markdown' as markdown from json_array_elements(${value('asks')}::json) a)`.as('q'),
      )
      // Each question's post looked up by its address. The planner, guessing a hundred questions,
      // would rather hash every published post; a lateral part with an OFFSET is not merged into
      // the join, so it runs once per question, on the address's index.
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom('posts')
            .select([...POST_COLUMNS_TO_WRITE_ON])
            .whereRef('posts.slug', '=', 'q.slug')
            // The time hidden from the planner, as the writer's email is: known, it makes a plan
            // for each call look cheaper than one for any time, and every call was planned anew.
            .where(visibleAt(sql<number>`(select ${value('now')}::bigint)` as unknown as number))
            .offset(sql.lit(0))
            .as('p'),
        (join) => join.onTrue(),
      )
      .selectAll('p')
      .select('q.ask')
      .select((eb) =>
        writerPast(eb as unknown as ExpressionBuilder<Database, never>, sql<string>`p.id`, sql<string>`q.email`, sql<string>`q.markdown`),
      ),
);

/** `findPostWithWriterHistory` for many comments in one read, each answered in the order asked. */
export async function findPostsWithWriterHistory(
  db: Db,
  asks: readonly WriterAsk[],
  now: number,
): Promise<({ post: PostToWriteOn; history: WriterHistory } | undefined)[]> {
  const { rows } = await postsWithWriterPasts(db, { asks: jsonParameter(asks.map((a, ask) => ({ ask, ...a }))), now });
  const answers: ({ post: PostToWriteOn; history: WriterHistory } | undefined)[] = asks.map(() => undefined);
  for (const { ask, ...row } of rows) answers[ask] = postWithHistory(row);
  return answers;
}

/** Which staff comments a reader may be shown through: the roles of the given users. */
export async function rolesOf(db: Db, ids: readonly string[]): Promise<Map<string, StaffRole>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'role']).where('id', 'in', ids).execute();
  return new Map(rows.map((u) => [u.id, u.role]));
}

/** The names of the given staff members, by id (who edited a comment). */
export async function staffNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((u) => [u.id, u.name]));
}

/** What part of all comments a staff member works on. */
export type StaffScope =
  | { kind: 'all' }
  | { kind: 'posts-of'; authorId: string }
  | { kind: 'public' }
  | { kind: 'public-or-posts-of'; authorId: string };

export interface AdminListQuery {
  statuses: readonly CommentStatus[];
  scope: StaffScope;
  limit: number;
  /** Newest first: continue after this (created_at, id). */
  after: [number, string] | undefined;
  /** Count the total only up to COUNT_CAP (a page's figure); every row otherwise (the API's total). */
  capped?: boolean;
}

/**
 * The rows of a query, counted up to COUNT_CAP + 1: more than the cap means "more than COUNT_CAP".
 * Callers give the query its index's order: only then does PostgreSQL walk that index and stop at
 * the cap (8 ms for 100,000 waiting threads) rather than join every row first (190 ms).
 */
export async function countUpTo<TB extends keyof Database, O>(db: Db, q: SelectQueryBuilder<Database, TB, O>): Promise<number> {
  const row = await db
    .selectFrom(
      q
        .select(sql<number>`1`.as('one'))
        .limit(COUNT_CAP + 1)
        .as('capped'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Keyset paging of comments listed newest first: those after [created_at, id] of the last shown. */
export const olderThan =
  ([at, id]: readonly [number, string]) =>
  (eb: ExpressionBuilder<Database, 'comments'>) =>
    eb.or([eb('comments.created_at', '<', at), eb.and([eb('comments.created_at', '=', at), eb('comments.id', '<', id)])]);

/** Comments joined to their posts, within what a staff member works on. */
export function scopedComments(db: Db, scope: StaffScope) {
  let q = db.selectFrom('comments').innerJoin('posts', 'posts.id', 'comments.post_id');
  if (scope.kind === 'posts-of') q = q.where('posts.author_id', '=', scope.authorId);
  if (scope.kind === 'public') q = q.where('comments.visibility', '=', 'public');
  if (scope.kind === 'public-or-posts-of') {
    const authorId = scope.authorId;
    q = q.where((eb) => eb.or([eb('comments.visibility', '=', 'public'), eb('posts.author_id', '=', authorId)]));
  }
  return q;
}

export async function adminList(db: Db, q: AdminListQuery): Promise<{ rows: CommentRow[]; total: number }> {
  const base = scopedComments(db, q.scope).where('comments.status', 'in', q.statuses);
  const total = q.capped
    ? await countUpTo(db, base.orderBy('comments.created_at', 'desc'))
    : Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  let page = base.selectAll('comments');
  if (q.after) page = page.where(olderThan(q.after));
  const rows = await page.orderBy('comments.created_at', 'desc').orderBy('comments.id', 'desc').limit(q.limit).execute();
  return { rows, total };
}

/**
 * Marks the thread as needing no reply up to `at` (never moving an earlier mark back); the caller
 * recounts the thread after it.
 */
export async function markDismissed(db: Db, rootId: string, at: number): Promise<void> {
  await db
    .updateTable('threads')
    .set({ dismissed_at: at })
    .where('root_id', '=', rootId)
    .where((eb) => eb.or([eb('dismissed_at', 'is', null), eb('dismissed_at', '<', at)]))
    .execute();
}

/**
 * Threads awaiting an answer within the staff member's scope, up to COUNT_CAP + 1: one range of the
 * partial index on awaiting_since (joined to posts for an author, to the waiting comment for a moderator).
 */
export async function countAwaiting(db: Db, scope: StaffScope): Promise<number> {
  let q = db.selectFrom('threads').where('threads.awaiting_since', 'is not', null);
  if (scope.kind === 'posts-of') {
    const authorId = scope.authorId;
    q = q.where('threads.post_id', 'in', (eb) => eb.selectFrom('posts').select('posts.id').where('posts.author_id', '=', authorId));
  }
  if (scope.kind === 'public' || scope.kind === 'public-or-posts-of') {
    const own = scope.kind === 'public-or-posts-of' ? scope.authorId : null;
    q = q
      .innerJoin('comments', 'comments.id', 'threads.awaiting_comment_id')
      .innerJoin('posts', 'posts.id', 'threads.post_id')
      .where((eb) =>
        own === null
          ? eb('comments.visibility', '=', 'public')
          : eb.or([eb('comments.visibility', '=', 'public'), eb('posts.author_id', '=', own)]),
      );
  }
  return countUpTo(db, q.orderBy('threads.awaiting_since'));
}

export interface InboxRow {
  root_id: string;
  awaiting_since: number;
  awaiting_comment_id: string;
  post_id: string;
  post_slug: string;
  post_title: string;
}

/** Threads awaiting a staff answer, oldest wait first; the total counted up to COUNT_CAP + 1. */
export async function inboxList(
  db: Db,
  q: { scope: StaffScope; limit: number; after: [number, string] | undefined },
): Promise<{ rows: InboxRow[]; total: number }> {
  let base = db
    .selectFrom('threads')
    .innerJoin('posts', 'posts.id', 'threads.post_id')
    .innerJoin('comments', 'comments.id', 'threads.awaiting_comment_id')
    .where('threads.awaiting_since', 'is not', null);
  const s = q.scope;
  if (s.kind === 'posts-of') base = base.where('posts.author_id', '=', s.authorId);
  if (s.kind === 'public') base = base.where('comments.visibility', '=', 'public');
  if (s.kind === 'public-or-posts-of')
    base = base.where((eb) => eb.or([eb('comments.visibility', '=', 'public'), eb('posts.author_id', '=', s.authorId)]));
  let page = base.select([
    'threads.root_id as root_id',
    'threads.awaiting_since as awaiting_since',
    'threads.awaiting_comment_id as awaiting_comment_id',
    'posts.id as post_id',
    'posts.slug as post_slug',
    'posts.title as post_title',
  ]);
  if (q.after) {
    const [at, id] = q.after;
    page = page.where((eb) =>
      eb.or([eb('threads.awaiting_since', '>', at), eb.and([eb('threads.awaiting_since', '=', at), eb('threads.root_id', '>', id)])]),
    );
  }
  // Counted beside the page's read (each waits for the database, not for the other), without the
  // joins the page needs: those of the scope only.
  const [total, rows] = await Promise.all([
    countAwaiting(db, q.scope),
    page.orderBy('threads.awaiting_since').orderBy('threads.root_id').limit(q.limit).execute(),
  ]);
  return { rows: rows as InboxRow[], total };
}

export function findComments(db: Db, ids: readonly string[]): Promise<CommentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('comments').selectAll().where('id', 'in', ids).execute();
}

export function findThread(db: Db, rootId: string) {
  return db.selectFrom('threads').selectAll().where('root_id', '=', rootId).executeTakeFirst();
}
