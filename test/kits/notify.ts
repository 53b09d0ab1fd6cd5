// Test data for the email feature: comments written the way the comments service writes them
// (row, thread summary and outbox event in one transaction, per the agreed event contract), and
// a worker wired to a test SMTP server.
import pino from 'pino';
import type { Staff } from '../../src/accounts/accounts-service.js';
import type { CommentRow, PostRow } from '../../src/db/tables.js';
import { newId } from '../../src/ids.js';
import { createMailTransport, type MailTransport } from '../../src/notify/mailer.js';
import { createNotifyWorker, mailDirOf } from '../../src/notify/notify.js';
import { enqueueEvent } from '../../src/notify/outbox.js';
import type { OutboxWorker } from '../../src/notify/worker.js';
import { TEST_BASE_URL, type TestApp } from '../harness.js';

export interface WrittenComment {
  post: PostRow;
  parent?: CommentRow | undefined;
  name?: string;
  email?: string;
  markdown?: string;
  /** The sanitized HTML, when the source is not Markdown (an imported WordPress comment). */
  html?: string;
  notify?: boolean;
  status?: 'published' | 'pending';
  visibility?: 'public' | 'private';
  staff?: Staff | undefined;
}

let n = 0;

export async function writeComment(t: TestApp, w: WrittenComment): Promise<CommentRow> {
  n += 1;
  const now = t.clock.now();
  const id = newId(now);
  const markdown = w.markdown ?? `Comment number ${n}, with *feeling*.`;
  const row = {
    id,
    post_id: w.post.id,
    parent_id: w.parent?.id ?? null,
    root_id: w.parent?.root_id ?? id,
    depth: w.parent ? w.parent.depth + 1 : 0,
    status: w.status ?? 'published',
    visibility: w.visibility ?? w.parent?.visibility ?? 'public',
    author_name: w.staff?.name ?? w.name ?? `Reader ${n}`,
    author_email: (w.staff?.email ?? w.email ?? `reader${n}@example.org`).toLowerCase(),
    author_url: null,
    staff_user_id: w.staff?.id ?? null,
    markdown,
    html: w.html ?? `<p>${markdown.replace(/\*(\w+)\*/g, '<em>$1</em>')}</p>`,
    edit_token_hash: null,
    notify: w.notify ? 1 : 0,
    ip: '192.0.2.7',
    user_agent: 'test',
    kind: 'comment' as const,
    source: null,
    source_id: null,
    created_at: now,
    edited_at: null,
  };
  await t.conn.db.transaction().execute(async (trx) => {
    await trx.insertInto('comments').values(row).execute();
    if (row.status === 'published') {
      await enqueueEvent(trx, { kind: 'comment.published', payload: { commentId: id } }, `comment.published:${id}`, now);
    } else {
      await enqueueEvent(trx, { kind: 'comment.held', payload: { commentId: id } }, `comment.held:${id}`, now);
    }
  });
  return (await t.conn.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as CommentRow;
}

/** Approves a held comment the way moderation does: status and event together. */
export async function approve(t: TestApp, comment: CommentRow): Promise<void> {
  const now = t.clock.now();
  await t.conn.db.transaction().execute(async (trx) => {
    await trx.updateTable('comments').set({ status: 'published' }).where('id', '=', comment.id).execute();
    await enqueueEvent(trx, { kind: 'comment.published', payload: { commentId: comment.id } }, `comment.published:${comment.id}`, now);
  });
}

export function testWorker(
  t: TestApp,
  options: {
    smtpUrl?: string;
    transport?: MailTransport;
    workerId?: string;
    leaseMs?: number;
    batchSize?: number;
    maxAttempts?: number;
  } = {},
): OutboxWorker {
  return createNotifyWorker({
    db: t.conn.db,
    clock: t.clock,
    log: pino({ level: 'silent' }),
    settings: t.services.settings,
    baseUrl: TEST_BASE_URL,
    from: 'Hearth <hearth@hearth.test>',
    transport: options.transport ?? createMailTransport({ smtpUrl: options.smtpUrl, mailDir: mailDirOf(t.dataDir) }),
    // The middle of the jitter range: backoff timing is predictable in tests.
    random: () => 0.5,
    ...(options.workerId ? { workerId: options.workerId } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
}

/** An owner with an API token, for the admin endpoints. */
export async function ownerWithToken(t: TestApp): Promise<{ staff: Staff; auth: { authorization: string } }> {
  const email = `owner${newId().slice(-6)}@example.com`;
  const staff = await t.services.accounts.addUser({ email, name: 'Olive Owner', role: 'owner', password: 'correct horse battery' });
  const { token } = await t.services.accounts.createToken(email);
  return { staff, auth: { authorization: `Bearer ${token}` } };
}
