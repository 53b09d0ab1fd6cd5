// How a reader's comment is received: published, held for moderation, or quietly set aside as
// spam. Pure: every fact it needs is passed in.
import type { ConversationSettings } from './conversation-settings.js';
import type { SpamVerdict } from './spam-check.js';

export type Reception = 'published' | 'pending' | 'spam';

export interface ReceivedComment {
  name: string;
  email: string;
  url: string | null;
  markdown: string;
  ip: string | null;
  /** The hidden honeypot field was filled in: only a program does that. */
  honeypotFilled: boolean;
  /** No earlier published comment carries this email. */
  firstTime: boolean;
  spamVerdict: SpamVerdict;
}

export interface Decision {
  status: Reception;
  /** Why, for logs and staff; never shown to the writer. */
  reason: string;
}

// A URL, or a Markdown link whose target is not itself a URL (counted once either way).
const LINK = /\bhttps?:\/\/|\bwww\.|\]\((?!\s*(?:https?:\/\/|www\.))/gi;
const URL_HOST = /\bhttps?:\/\/([^\s/?#)\]>"']+)/gi;

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0;
}

function hostsIn(c: Pick<ReceivedComment, 'email' | 'url' | 'markdown'>): string[] {
  const hosts = [c.email.slice(c.email.lastIndexOf('@') + 1)];
  for (const m of `${c.url ?? ''} ${c.markdown}`.matchAll(URL_HOST)) hosts.push((m[1] ?? '').replace(/:\d+$/, ''));
  return hosts.map((h) => h.toLowerCase().replace(/^www\./, '')).filter(Boolean);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first blocklist entry the comment matches, described, or null. */
export function blocklistMatch(
  c: Omit<ReceivedComment, 'honeypotFilled' | 'firstTime' | 'spamVerdict'>,
  s: ConversationSettings,
): string | null {
  const email = c.email.toLowerCase();
  if (s.blockedEmails.includes(email)) return `email ${email}`;
  if (c.ip && s.blockedIps.some((ip) => c.ip === ip || (/[.:]$/.test(ip) && c.ip?.startsWith(ip)))) return `address ${c.ip}`;
  const hosts = hostsIn(c);
  const domain = s.blockedDomains.find((d) => hosts.some((h) => h === d || h.endsWith(`.${d}`)));
  if (domain) return `domain ${domain}`;
  const text = `${c.name}\n${c.markdown}\n${c.url ?? ''}`.toLowerCase();
  const word = s.blockedWords.find((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(w)}($|[^\\p{L}\\p{N}])`, 'u').test(text));
  if (word) return `word ${word}`;
  return null;
}

/**
 * The reception of a new reader comment. `relaxed` is the benchmark setting: it publishes what the
 * hold policy would keep back, but spam traps still apply.
 */
export function receive(c: ReceivedComment, s: ConversationSettings, relaxed = false): Decision {
  if (c.honeypotFilled) return { status: 'spam', reason: 'honeypot filled' };
  const blocked = blocklistMatch(c, s);
  if (blocked) return { status: 'spam', reason: `blocklist: ${blocked}` };
  if (c.spamVerdict === 'spam') return { status: 'spam', reason: 'spam check' };
  if (relaxed) return { status: 'published', reason: 'relaxed for a benchmark' };
  // Staff chose to trust her: no hold rule applies (the traps and blocklists above still do).
  if (s.trustedEmails.includes(c.email.toLowerCase())) return { status: 'published', reason: 'trusted commenter' };
  if (c.spamVerdict === 'unsure') return { status: 'pending', reason: 'spam check unsure' };
  if (s.hold === 'hold_all') return { status: 'pending', reason: 'every comment is held' };
  const links = countLinks(`${c.markdown}`);
  if (links > s.maxLinks) return { status: 'pending', reason: `${links} links` };
  if (s.hold === 'first_time' && c.firstTime) return { status: 'pending', reason: 'first comment' };
  return { status: 'published', reason: 'accepted' };
}

/**
 * After a writer edits her comment: the content rules again, so a comment cannot be posted clean
 * and edited into spam. Returns the stricter state, or null when the edit changes nothing.
 */
export function afterEdit(
  c: Omit<ReceivedComment, 'honeypotFilled' | 'firstTime' | 'spamVerdict'>,
  s: ConversationSettings,
  relaxed = false,
): Reception | null {
  if (blocklistMatch(c, s)) return 'spam';
  if (!relaxed && countLinks(c.markdown) > s.maxLinks) return 'pending';
  return null;
}
