// Comments: what readers write and see, and what staff do with them. The rules live in two
// factories, wired together in main.ts: writing a conversation (conversation-writing.ts, with the
// staff's moderation and replies) and reading one (conversation-reading.ts, with the one query
// surface the workspace reads comments through, comment-queries.ts). HTTP lives in the routes.
import type { CommentQueries } from './comment-queries.js';
import type { ConversationReading } from './conversation-reading.js';
import type { ConversationWriting } from './conversation-writing.js';
import type { StaffCommentService } from './staff-comment-service.js';

export type {
  CommentInput,
  Conversation,
  ConversationQuery,
  FullShownComment,
  Located,
  ShownComment,
  ShownExtras,
  Submission,
  SubmitResult,
} from './comment-types.js';
export { ANONYMOUS_NAME } from './comment-types.js';

/** What the post pages, the comment routes and the JSON API ask of comments. */
export type ReaderCommentService = ConversationReading & ConversationWriting;

/** Everything the comment factories offer, composed once in main.ts. */
export type CommentService = ReaderCommentService & StaffCommentService & CommentQueries;
