// A pluggable outside opinion on a comment (Akismet and the like). Hearth ships none by default.

export interface SpamCheckContext {
  postId: string;
  authorName: string;
  authorEmail: string;
  authorUrl: string | null;
  markdown: string;
  ip: string | null;
  userAgent: string | null;
}

export type SpamVerdict = 'ham' | 'spam' | 'unsure';

export type SpamCheck = (comment: SpamCheckContext) => Promise<SpamVerdict>;

/** No outside check: the site's own rules decide. */
export const noSpamCheck: SpamCheck = async () => 'ham';
