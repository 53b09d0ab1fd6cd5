// The reader's pages for posts: the home listing and a single post with its conversation.

import type { ShownComment } from '../comments/comment-service.js';
import { CommentThread } from '../comments/comment-views.js';
import type { ThreadNode } from '../comments/thread.js';
import type { PostRow } from '../db/tables.js';
import type { SiteSettings } from '../settings/settings-service.js';
import { isoTime, longDate, plural } from '../web/format.js';
import { Layout } from '../web/layout.js';
import { sanitizedHtml } from '../web/trusted-html.js';
import type { PostWithTags } from './post-service.js';

export function HomePage(props: { site: SiteSettings; baseUrl: string; posts: PostRow[]; page: number; pages: number }) {
  const { site, posts, page, pages } = props;
  return (
    <Layout site={site} meta={{ title: site.title, canonical: `${props.baseUrl}/${page > 1 ? `?page=${page}` : ''}` }}>
      <h1 class="visually-hidden">{site.title}</h1>
      {posts.length === 0 ? <p>Nothing is published yet.</p> : null}
      <ol class="post-list">
        {posts.map((post) => (
          <li class="post-summary">
            <h2>
              <a href={`/${post.slug}/`}>{post.title}</a>
            </h2>
            <p class="meta">
              <time datetime={isoTime(post.published_at ?? post.created_at)}>{longDate(post.published_at ?? post.created_at)}</time>
              {' · '}
              <a href={`/${post.slug}/#comments`} data-comment-count={post.comment_count}>
                {plural(post.comment_count, 'comment', 'comments')}
              </a>
            </p>
            <p>{post.excerpt}</p>
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav class="pagination" aria-label="Pages">
          {page > 1 ? (
            <a href={page === 2 ? '/' : `/?page=${page - 1}`} rel="prev">
              Newer posts
            </a>
          ) : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <a href={`/?page=${page + 1}`} rel="next">
              Older posts
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

export function PostPage(props: { site: SiteSettings; baseUrl: string; post: PostWithTags; thread: ThreadNode<ShownComment>[] }) {
  const { site, post, thread } = props;
  const published = post.published_at ?? post.created_at;
  return (
    <Layout site={site} meta={{ title: post.title, description: post.excerpt, canonical: `${props.baseUrl}/${post.slug}/` }}>
      <article class="post">
        <header>
          <h1>{post.title}</h1>
          {post.kind === 'post' ? (
            <p class="meta">
              <time datetime={isoTime(published)}>{longDate(published)}</time>
              {post.tags.length > 0 ? (
                <>
                  {' · '}
                  {post.tags.map((t, i) => (
                    <>
                      {i > 0 ? ', ' : ''}
                      <a href={`/tag/${t.slug}/`} rel="tag">
                        {t.name}
                      </a>
                    </>
                  ))}
                </>
              ) : null}
            </p>
          ) : null}
        </header>
        <div class="post-body">{sanitizedHtml(post.html)}</div>
      </article>
      <CommentThread count={post.comment_count} thread={thread} />
    </Layout>
  );
}
