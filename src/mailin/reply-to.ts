// The Reply-To header of a conversation email, when the site has a reply address.
import type { Db } from '../db/connect.js';
import { makeReplyToken, type ReplyRole, replyAddressFor } from './reply-address.js';
import { readReplySettings } from './reply-settings.js';

export async function replyToHeader(
  db: Db,
  secret: string,
  recipient: string,
  answers: { commentId: string; role: ReplyRole },
  now: number,
): Promise<string | undefined> {
  const { replyAddress } = await readReplySettings(db);
  if (!replyAddress) return undefined;
  return replyAddressFor(replyAddress, makeReplyToken(secret, recipient, answers.role, answers.commentId, now));
}
