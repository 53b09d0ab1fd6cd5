// Programs in the conversation: cards in posts and staff replies, the counted link behind them,
// readers' sign-ups (anti-spam, rate limits, a confirmation email) and what the author sees of it.
import type { Staff } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/connect.js';
import type { PostRow, ProgramSignupRow } from '../db/tables.js';
import { ForbiddenError, InvalidError, NotFoundError, TooManyError } from '../errors.js';
import { hmacSign, sameText } from '../hmac.js';
import { hashToken, newId } from '../ids.js';
import type { RateLimiter } from '../moderation/rate-limiter.js';
import type { MailService } from '../notify/mail-service.js';
import { canReadPost } from '../posts/post-permissions.js';
import { findPostById, listForAdmin } from '../posts/post-store.js';
import { directiveSlugs, programCards } from './program-cards.js';
import { canSeeSignups } from './program-permissions.js';
import type { CardSource } from './program-source.js';
import * as store from './program-store.js';

/** Who clicked, as far as a link can tell without a cookie: her address and browser. */
export interface Reader {
  ip: string | null;
  userAgent: string;
}

export interface FormToken {
  ts: string;
  token: string;
}

export interface SignupInput {
  program: Pick<PostRow, 'id' | 'slug' | 'title'>;
  name: string;
  email: string;
  message: string;
  from: CardSource | undefined;
  honeypotFilled: boolean;
  ts: string;
  token: string;
  ip: string | null;
}

/** ignored: the honeypot was filled; answered like a success so a bot learns nothing. */
export type SignupResult = { kind: 'signed-up' | 'already' | 'ignored' };

export interface SourceLine {
  /** What the author reads: the post, or the reply and its post. */
  label: string;
  href: string | null;
  clicks: number;
  signups: number;
}

export interface ProgramListItem {
  program: PostRow;
  signups: number;
  clicks: number;
}

export interface ProgramDetail {
  program: PostRow;
  signups: ProgramSignupRow[];
  total: number;
  sources: SourceLine[];
  /** Labels of the sources of the sign-ups shown, by sign-up id. */
  signupSources: Map<string, string>;
}

export interface ProgramService {
  /** The post-render step: directive paragraphs become cards whose link names `from`. */
  cards(html: string, from: CardSource, trx?: Db): Promise<string>;
  formToken(programId: string): Promise<FormToken>;
  signUp(input: SignupInput): Promise<SignupResult>;
  /**
   * Counts a card click, once per reader and source in CLICK_WINDOW_SECONDS; returns the program's
   * slug and the checked source to carry along (every click, counted or not).
   */
  click(slug: string, from: CardSource | undefined, reader: Reader): Promise<{ slug: string; from: CardSource | undefined }>;
  list(actor: Staff): Promise<ProgramListItem[]>;
  detail(actor: Staff, programId: string, limit: number): Promise<ProgramDetail>;
}

export interface ProgramServiceDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  limiter: RateLimiter;
  mail: Pick<MailService, 'sendProgramSignupConfirmation'>;
  secret: () => Promise<string>;
  /** Benchmarks only: no rate limits. */
  relaxed?: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
/** A program page kept open (or cached) this long still has a usable form. */
const FORM_LIFETIME_MS = 30 * DAY;
/** Quicker than this after the page was served is a program, not a person. */
const MIN_SECONDS_ON_PAGE = 3;
const IP_LIMIT = { max: 10, windowSeconds: 3600 };
/** A reader clicking the same card in the same place again within this long is one click. */
export const CLICK_WINDOW_SECONDS = 30 * 60;
const EMAIL_LIMIT = { max: 5, windowSeconds: 3600 };
/** The most sign-ups one page or export holds: far beyond a personal site's programs. */
export const EXPORT_LIMIT = 100_000;

const sourceKey = (postId: string | null, commentId: string | null) => `${postId ?? ''}|${commentId ?? ''}`;

export function createProgramService(deps: ProgramServiceDeps): ProgramService {
  const { db, clock } = deps;

  /** The source as stored: checked to exist; a reply also names its post. */
  async function resolveSource(from: CardSource | undefined): Promise<{ postId: string | null; commentId: string | null }> {
    if (from?.kind === 'post' && (await store.postExists(db, from.id))) return { postId: from.id, commentId: null };
    if (from?.kind === 'comment') {
      const postId = await store.postOfStaffComment(db, from.id);
      if (postId) return { postId, commentId: from.id };
    }
    return { postId: null, commentId: null };
  }

  async function checkToken(programId: string, ts: string, token: string, now: number): Promise<void> {
    const secret = await deps.secret();
    if (
      !/^\d{1,16}$/.test(ts) ||
      !token ||
      !sameText(hmacSign(secret, `program-form:${programId}:${ts}`), token) ||
      now - Number(ts) > FORM_LIFETIME_MS
    ) {
      throw new InvalidError('This form had grown old, so it was not sent. Please send it again: your words are kept below.').saying({
        message: { key: 'program.stale' },
      });
    }
    if (now - Number(ts) < MIN_SECONDS_ON_PAGE * 1000) {
      throw new InvalidError('That was quicker than a person can type. Please look over the form and send it again.').saying({
        message: { key: 'program.tooQuick' },
      });
    }
  }

  async function limit(input: SignupInput, now: number): Promise<void> {
    if (deps.relaxed) return;
    const buckets = [
      ...(input.ip ? [{ bucket: `program-ip:${input.ip}`, ...IP_LIMIT }] : []),
      { bucket: `program-email:${input.email}`, ...EMAIL_LIMIT },
    ];
    for (const b of buckets) {
      const verdict = await deps.limiter.hit(b.bucket, b.max, b.windowSeconds, now);
      if (!verdict.ok) {
        throw new TooManyError(
          `Several sign-ups came from you in a short time. Please wait ${verdict.retryAfterSeconds} seconds and send it again; your words are kept below.`,
          verdict.retryAfterSeconds,
        ).saying({ message: { key: 'program.tooMany', values: { seconds: verdict.retryAfterSeconds } } });
      }
    }
  }

  async function programFor(actor: Staff, programId: string): Promise<PostRow> {
    const program = await findPostById(db, programId);
    // Another author's unpublished program is not found, as with any post she may not read.
    if (program?.kind !== 'program' || !canReadPost(actor, program, clock.now())) throw new NotFoundError('There is no such program.');
    if (!canSeeSignups(actor, program)) throw new ForbiddenError('Only the owner and the program’s author see its sign-ups.');
    return program;
  }

  async function describeSources(rows: { source_post_id: string | null; source_comment_id: string | null }[]) {
    const posts = await store.postTitles(db, [...new Set(rows.flatMap((r) => (r.source_post_id ? [r.source_post_id] : [])))]);
    const replies = await store.replyAuthors(db, [...new Set(rows.flatMap((r) => (r.source_comment_id ? [r.source_comment_id] : [])))]);
    return (postId: string | null, commentId: string | null): { label: string; href: string | null } => {
      const post = postId ? posts.get(postId) : undefined;
      if (commentId) {
        const by = replies.get(commentId);
        if (!by || !post) return { label: 'A reply since deleted', href: null };
        return { label: `Reply by ${by} on “${post.title}”`, href: `/${post.slug}/#comment-${commentId}` };
      }
      if (postId) return post ? { label: `Post “${post.title}”`, href: `/${post.slug}/` } : { label: 'A post since deleted', href: null };
      return { label: 'The program page itself', href: null };
    };
  }

  return {
    async cards(html, from, trx = db) {
      const slugs = directiveSlugs(html);
      if (slugs.length === 0) return html;
      // Inside a caller's transaction, read through it (SQLite has one connection).
      const found = await store.findVisiblePrograms(trx, slugs, clock.now());
      return programCards(html, new Map(found.map((p) => [p.slug, p])), from);
    },

    async formToken(programId) {
      const ts = String(clock.now());
      return { ts, token: hmacSign(await deps.secret(), `program-form:${programId}:${ts}`) };
    },

    async signUp(input) {
      const now = clock.now();
      await checkToken(input.program.id, input.ts, input.token, now);
      if (input.honeypotFilled) return { kind: 'ignored' };
      await limit(input, now);
      const source = await resolveSource(input.from);
      return db.transaction().execute(async (trx) => {
        const inserted = await store.insertSignup(trx, {
          id: newId(now),
          program_id: input.program.id,
          name: input.name,
          email: input.email,
          message: input.message,
          source_post_id: source.postId,
          source_comment_id: source.commentId,
          created_at: now,
        });
        if (!inserted) return { kind: 'already' } as const;
        // In the same transaction: the confirmation is queued exactly when the sign-up is kept.
        await deps.mail.sendProgramSignupConfirmation(
          { to: input.email, name: input.name, programTitle: input.program.title, programUrl: `${deps.baseUrl}/${input.program.slug}/` },
          trx,
        );
        return { kind: 'signed-up' } as const;
      });
    },

    async click(slug, from, reader) {
      const now = clock.now();
      const [program] = await store.findVisiblePrograms(db, [slug], now);
      if (!program) throw new NotFoundError('There is no such program.');
      const source = await resolveSource(from);
      // Only a hash of who clicked is kept, and only for the window.
      const clicker = hashToken(
        ['program-click', program.id, sourceKey(source.postId, source.commentId), reader.ip ?? '', reader.userAgent].join('\n'),
      );
      const counted = await deps.limiter.once(clicker, CLICK_WINDOW_SECONDS, now);
      if (counted)
        await store.insertClick(db, {
          id: newId(now),
          kind: 'program',
          target: program.id,
          source_post_id: source.postId,
          source_comment_id: source.commentId,
          created_at: now,
        });
      const checked: CardSource | undefined = source.commentId
        ? { kind: 'comment', id: source.commentId }
        : source.postId
          ? { kind: 'post', id: source.postId }
          : undefined;
      return { slug: program.slug, from: checked };
    },

    async list(actor) {
      const { rows } = await listForAdmin(db, { kind: 'program', limit: 500, ...(actor.role === 'owner' ? {} : { authorId: actor.id }) });
      const ids = rows.map((r) => r.id);
      const [signups, clicks] = await Promise.all([store.signupCounts(db, ids), store.clickCounts(db, ids)]);
      return rows.map((program) => ({ program, signups: signups.get(program.id) ?? 0, clicks: clicks.get(program.id) ?? 0 }));
    },

    async detail(actor, programId, max) {
      const program = await programFor(actor, programId);
      const [signups, bySignup, byClick] = await Promise.all([
        store.listSignups(db, program.id, Math.min(max, EXPORT_LIMIT)),
        store.signupsBySource(db, program.id),
        store.clicksBySource(db, program.id),
      ]);
      const describe = await describeSources([...bySignup, ...byClick, ...signups]);
      const lines = new Map<string, SourceLine>();
      const line = (postId: string | null, commentId: string | null) => {
        const key = sourceKey(postId, commentId);
        let found = lines.get(key);
        if (!found) {
          found = { ...describe(postId, commentId), clicks: 0, signups: 0 };
          lines.set(key, found);
        }
        return found;
      };
      for (const r of bySignup) line(r.source_post_id, r.source_comment_id).signups += r.n;
      for (const r of byClick) line(r.source_post_id, r.source_comment_id).clicks += r.n;
      const total = bySignup.reduce((sum, r) => sum + r.n, 0);
      const sources = [...lines.values()].sort((a, b) => b.signups - a.signups || b.clicks - a.clicks || a.label.localeCompare(b.label));
      const signupSources = new Map(signups.map((s) => [s.id, describe(s.source_post_id, s.source_comment_id).label]));
      return { program, signups, total, sources, signupSources };
    },
  };
}
