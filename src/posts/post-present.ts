// Posts as the API shows them: never raw rows.
import type { PostJson } from './post-schemas.js';
import type { PostWithTags } from './post-service.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentPost(post: PostWithTags, baseUrl: string, now: number): PostJson {
  // A scheduled post whose time has come is published: readers already see it.
  const status = post.status === 'scheduled' && post.published_at !== null && post.published_at <= now ? 'published' : post.status;
  return {
    id: post.id,
    kind: post.kind === 'page' ? 'page' : 'post',
    title: post.title,
    slug: post.slug,
    markdown: post.markdown,
    format: post.source_format ?? 'markdown',
    html: post.html,
    excerpt: post.excerpt,
    status,
    publishedAt: post.published_at === null ? null : iso(post.published_at),
    tags: post.tags.map((t) => t.name),
    authorId: post.author_id,
    commentsMode: post.comments_mode,
    commentCount: post.comment_count,
    coverImage: post.cover_image,
    url: `${baseUrl}/${post.slug}/`,
    createdAt: iso(post.created_at),
    updatedAt: iso(post.updated_at),
  };
}
