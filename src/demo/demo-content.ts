// A first-run site: a few posts and a small conversation, so a new owner sees Hearth working.
// Slugs are Hearth's own, so a later WordPress import (hello-world, sample-page) cannot collide.
import type { AccountsService } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import type { CommentService } from '../comments/comment-service.js';
import type { PostService } from '../posts/post-service.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

const WELCOME = `Hearth is a home for writing that readers answer. Every post ends in a conversation,
and every conversation is rendered right here in the page: no scripts needed, nothing loaded from
anyone else's servers.

## What happens when a reader writes back

A reader leaves a comment below a post. If she asks to be told, she is emailed when you answer.
Your workspace keeps a list of every reader still **awaiting your reply**, oldest first, so no
question waits in limbo.

## Make it yours

1. Create your owner account with the command printed when the server started.
2. Sign in at [/admin/](/admin/) and change the site's title and description.
3. Write your first post, or import your old blog from WordPress or Disqus.

When you are ready, delete these demo posts. Start a new site without them by setting
\`HEARTH_DEMO=0\`.`;

const ANSWERING = `The most generous thing a writer can do is answer. Readers who take the
time to write back often say more in a comment than they would say to a friend: a worry, a
question they have carried for years, a story from their own life.

> A reply does not need to be long. It needs to show that someone read the words.

Hearth helps in small ways. While you write a reply, it suggests your older posts that speak to
the reader's question, so you can point her to what you have already written. It marks your
replies with an *Author* badge, so readers can find your answers in a long thread.

And when a reader would rather not ask in public, she can send her comment to you alone.`;

const MARKDOWN = `Posts are written in Markdown. A few of the things it does:

- **Bold** and *italic* text, \`inline code\` and [links](https://commonmark.org/help/)
- Lists, like this one, and numbered lists
- Quotes and headings
- Tables:

| Kind | Who sees it |
| --- | --- |
| Public comment | Everyone |
| Private question | You and the writer |

Footnotes work too.[^1]

[^1]: Like this one.`;

export async function seedDemoContent(deps: { accounts: AccountsService; posts: PostService; comments: CommentService; clock: Clock }) {
  const now = deps.clock.now();
  const author = await deps.accounts.addUser({
    email: 'demo-author@example.invalid',
    name: 'Ada Hearth',
    role: 'author',
    password: null,
  });

  await deps.posts.create({
    title: 'Writing with Markdown in Hearth',
    slug: 'writing-with-markdown-in-hearth',
    markdown: MARKDOWN,
    status: 'published',
    publishedAt: now - 9 * DAY,
    authorId: author.id,
    tags: ['Hearth', 'Writing'],
  });
  const answering = await deps.posts.create({
    title: 'Why every reader deserves an answer',
    slug: 'why-every-reader-deserves-an-answer',
    markdown: ANSWERING,
    status: 'published',
    publishedAt: now - 5 * DAY,
    authorId: author.id,
    tags: ['Conversation'],
  });
  await deps.posts.create({
    title: 'Welcome to your Hearth',
    slug: 'welcome-to-your-hearth',
    markdown: WELCOME,
    status: 'published',
    publishedAt: now - 1 * DAY,
    authorId: author.id,
    tags: ['Hearth'],
  });

  const question = await deps.comments.add({
    postId: answering.id,
    authorName: 'Maya',
    authorEmail: 'maya@example.invalid',
    markdown:
      'I started a small newsletter last year and I never know what to say when someone writes a long, personal reply.\n\nDo you answer all of them, even the ones that arrive months later?',
    status: 'published',
    createdAt: now - 4 * DAY,
  });
  await deps.comments.add({
    postId: answering.id,
    parentId: question.id,
    authorName: author.name,
    authorEmail: author.email,
    staff: author,
    markdown:
      'Every one, Maya, even the late ones: those readers often need it most. Start with one sentence that shows you read *their* words, then answer the question they asked.',
    status: 'published',
    createdAt: now - 4 * DAY + 3 * HOUR,
  });
  await deps.comments.add({
    postId: answering.id,
    parentId: question.id,
    authorName: 'Maya',
    authorEmail: 'maya@example.invalid',
    markdown: 'Thank you, that helps. One sentence first: I can do that.',
    status: 'published',
    createdAt: now - 3 * DAY,
  });
  await deps.comments.add({
    postId: answering.id,
    authorName: 'Tomas',
    authorEmail: 'tomas@example.invalid',
    authorUrl: 'https://example.com/',
    markdown: 'How do you keep up when a post gets a hundred comments in a day?',
    status: 'published',
    createdAt: now - 2 * DAY,
  });
}
