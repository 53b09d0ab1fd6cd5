// What a reader reads right after posting a comment that waits for moderation: in plain words,
// that it arrived, that the author reads every comment, and what email to expect. The page she is
// sent back to names the comment (`held=<id>`, and `confirm=1` when she asked for replies by
// email); the words show only under her own comment while it is held, so the link tells no one else anything.

const ID = /^[0-9a-f-]{36}$/;

export function heldQuery(commentId: string, confirmEmail: boolean): string {
  return `held=${commentId}${confirmEmail ? '&confirm=1' : ''}`;
}

export function heldNoticeOf(query: (name: string) => string | undefined): { id: string; lines: string[] } | undefined {
  const id = query('held');
  if (!id || !ID.test(id)) return undefined;
  return { id, lines: heldNotice(query('confirm') === '1') };
}

export function heldNotice(confirmEmail: boolean): string[] {
  const lines = [
    'Thank you: your comment has arrived. The author reads every comment and will publish yours and answer it here. Until then only you can see it.',
  ];
  if (confirmEmail) lines.push('A confirmation email is on its way to you: open it and press its button to get replies by email.');
  return lines;
}
