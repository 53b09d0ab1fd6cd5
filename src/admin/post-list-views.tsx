// The lists of posts and of pages, with filters by status. An author sees her own.
import type { PostKind, PostRow, PostStatus } from '../db/tables.js';
import type { PostWithTags } from '../posts/post-service.js';
import { dateTime } from '../web/format.js';
import { FormMessage } from './admin-layout.js';

/** Where a post stands, in words; a scheduled post whose time came reads as published. */
export function statusLabel(post: Pick<PostRow, 'status' | 'published_at'>, now: number): string {
  if (post.status === 'draft') return 'Draft';
  const at = post.published_at ?? now;
  if (post.status === 'scheduled' && at > now) return `Scheduled for ${dateTime(at)}`;
  return `Published ${dateTime(at)}`;
}

const STATUS_CHOICES: { value: '' | PostStatus; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'draft', label: 'Drafts' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'published', label: 'Published' },
];

export function PostList(props: {
  kind: PostKind;
  posts: PostWithTags[];
  total: number;
  status: PostStatus | undefined;
  next: string | null;
  authors: Map<string, string> | undefined;
  now: number;
  notice?: string | undefined;
}) {
  const base = props.kind === 'page' ? '/admin/pages' : '/admin/posts';
  const plural = props.kind === 'page' ? 'Pages' : 'Posts';
  const singular = props.kind === 'page' ? 'page' : 'post';
  return (
    <>
      <div class="ws-titlebar">
        <h1>{plural}</h1>
        <a class="button primary" href={`${base}/new`}>
          New {singular}
        </a>
      </div>
      <FormMessage message={props.notice} kind="notice" />
      <form method="get" action={base} class="ws-filters">
        <label for="status-filter">Show</label>
        <select id="status-filter" name="status">
          {STATUS_CHOICES.map((s) => (
            <option value={s.value} selected={(props.status ?? '') === s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <p class="ws-count">{`${props.total} ${props.total === 1 ? singular : `${singular}s`}`}</p>
      {props.posts.length === 0 ? (
        <p>Nothing here yet.</p>
      ) : (
        <table class="ws-table">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              {props.authors ? <th scope="col">Author</th> : null}
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {props.posts.map((post) => (
              <tr data-post-id={post.id}>
                <td>
                  <a href={`${base}/${post.id}`}>{post.title}</a>
                </td>
                <td>{statusLabel(post, props.now)}</td>
                {props.authors ? <td>{props.authors.get(post.author_id) ?? ''}</td> : null}
                <td>{post.tags.map((t) => t.name).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <p>
          <a href={`${base}?${new URLSearchParams({ ...(props.status ? { status: props.status } : {}), cursor: props.next })}`}>Older</a>
        </p>
      ) : null}
    </>
  );
}
