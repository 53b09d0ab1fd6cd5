// What a reader reads right after posting a comment that waits for moderation: in plain words,
// that it arrived, that the author reads every comment, and what email to expect. The page she is
// sent back to names the comment (`held=<id>`, and `confirm=1` when she asked for replies by
// email); the words show only under her own comment while it is held, so the link tells no one else anything.

import { type Messages, messagesFor } from '../i18n/messages.js';

const ID = /^[0-9a-f-]{36}$/;

export function heldQuery(commentId: string, confirmEmail: boolean): string {
  return `held=${commentId}${confirmEmail ? '&confirm=1' : ''}`;
}

export function heldNoticeOf(
  query: (name: string) => string | undefined,
  m: Messages = messagesFor('en'),
): { id: string; lines: string[] } | undefined {
  const id = query('held');
  if (!id || !ID.test(id)) return undefined;
  return { id, lines: heldNotice(query('confirm') === '1', m) };
}

export function heldNotice(confirmEmail: boolean, m: Messages = messagesFor('en')): string[] {
  const lines = [m.t('held.arrived')];
  if (confirmEmail) lines.push(m.t('held.confirm'));
  return lines;
}
