// What Hearth's posts and Notes look like on the fediverse.
import { Article, type Context, Create, Note, PUBLIC_COLLECTION } from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';

export interface PostForArticle {
  id: string;
  slug: string;
  title: string;
  html: string;
  published_at: number;
  updated_at: number;
  author_slug: string;
}

export const instant = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms);

/** A post as an Article: public, copied to its author's followers, linking to its page. */
export function articleOf(ctx: Context<void>, baseUrl: string, post: PostForArticle): Article {
  return new Article({
    id: ctx.getObjectUri(Article, { id: post.id }),
    attribution: ctx.getActorUri(post.author_slug),
    name: post.title,
    content: absoluteLinks(post.html, baseUrl),
    url: new URL(`${baseUrl}/${post.slug}/`),
    published: instant(post.published_at),
    updated: post.updated_at > post.published_at ? instant(post.updated_at) : null,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(post.author_slug),
  });
}

/** A post's Create as its author sent it (the same id whether delivered or listed in her outbox). */
export function createOf(ctx: Context<void>, article: Article, handle: string, publishedAt: number): Create {
  return new Create({
    id: new URL(`${article.id?.href}#create`),
    actor: ctx.getActorUri(handle),
    object: article,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(handle),
    published: instant(publishedAt),
  });
}

export interface NoteToSend {
  id: string;
  local_handle: string;
  in_reply_to: string;
  recipients: string[];
  public: boolean;
  content: string;
  created_at: number;
  /** When it was last edited here, or null. */
  updated_at?: number | null | undefined;
  url: string | null;
}

/** A reply written in Hearth: to its reader (and everyone, when the conversation is public). */
export function noteOf(ctx: Context<void>, note: NoteToSend): Note {
  const recipients = note.recipients.map((r) => new URL(r));
  return new Note({
    id: ctx.getObjectUri(Note, { id: note.id }),
    attribution: ctx.getActorUri(note.local_handle),
    content: note.content,
    replyTarget: new URL(note.in_reply_to),
    published: instant(note.created_at),
    updated: note.updated_at ? instant(note.updated_at) : null,
    url: note.url ? new URL(note.url) : null,
    tos: note.public ? [PUBLIC_COLLECTION, ...recipients] : recipients,
    ccs: note.public ? [ctx.getFollowersUri(note.local_handle)] : [],
  });
}

/** Links and images inside a post are relative to the site; elsewhere they must be absolute. */
function absoluteLinks(html: string, baseUrl: string): string {
  return html.replace(/(href|src)="\/(?!\/)/g, `$1="${baseUrl}/`);
}
