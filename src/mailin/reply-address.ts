// The Reply-To of a conversation email: reply+<token>@<reply domain>. The token names the comment
// the email was about, who it was for (a reader or staff) and until when it works, and is signed
// with the site secret over the recipient's address too: only mail from that address can use it.
// Lowercase base32, so that mail systems which fold the case of addresses do not break it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type ReplyRole = 'reader' | 'staff';

export interface ReplyToken {
  role: ReplyRole;
  commentId: string;
  /** Epoch ms: the address works until then. */
  expiresAt: number;
}

const DAY_MS = 86_400_000;
/** How long a reply address keeps working after the email was sent. */
export const REPLY_TOKEN_DAYS = 90;
const MAC_BYTES = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.toLowerCase()) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) return undefined;
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/**
 * An address as it is compared: lowercase, without a +tag ("Maya+blog@Example.org" and
 * "maya@example.org" are one person's).
 */
export function normalizeAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${lower.slice(at)}`;
}

function mac(secret: string, body: Buffer, recipient: string): Buffer {
  return createHmac('sha256', secret)
    .update('hearth-reply:')
    .update(body)
    .update(normalizeAddress(recipient))
    .digest()
    .subarray(0, MAC_BYTES);
}

function bodyOf(t: ReplyToken): Buffer {
  const body = Buffer.alloc(1 + 16 + 3);
  body[0] = t.role === 'staff' ? 1 : 0;
  Buffer.from(t.commentId.replace(/-/g, ''), 'hex').copy(body, 1);
  body.writeUIntBE(Math.ceil(t.expiresAt / DAY_MS), 17, 3);
  return body;
}

export function makeReplyToken(secret: string, recipient: string, role: ReplyRole, commentId: string, now: number): string {
  const body = bodyOf({ role, commentId, expiresAt: now + REPLY_TOKEN_DAYS * DAY_MS });
  return base32(Buffer.concat([body, mac(secret, body, recipient)]));
}

/** The token's claims, read without checking them: what a refused message was about. */
export function readReplyToken(token: string): ReplyToken | undefined {
  const raw = unbase32(token);
  if (!raw || raw.length !== 20 + MAC_BYTES || (raw[0] !== 0 && raw[0] !== 1)) return undefined;
  const hex = raw.subarray(1, 17).toString('hex');
  return {
    role: raw[0] === 1 ? 'staff' : 'reader',
    commentId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    expiresAt: raw.readUIntBE(17, 3) * DAY_MS,
  };
}

export type TokenCheck =
  | { ok: true; token: ReplyToken }
  | { ok: false; problem: 'malformed' | 'not-theirs' | 'expired'; token?: ReplyToken };

/** Checks a token against the address the message came from, and the time. */
export function checkReplyToken(secret: string, token: string, from: string, now: number): TokenCheck {
  const claims = readReplyToken(token);
  const raw = unbase32(token);
  if (!claims || !raw) return { ok: false, problem: 'malformed' };
  const body = raw.subarray(0, 20);
  const given = raw.subarray(20);
  const expected = mac(secret, body, from);
  if (!timingSafeEqual(given, expected)) return { ok: false, problem: 'not-theirs', token: claims };
  if (claims.expiresAt < now) return { ok: false, problem: 'expired', token: claims };
  return { ok: true, token: claims };
}

/** The configured reply address split in two: "reply@mail.example.com" -> reply, mail.example.com. */
export function splitAddress(address: string): { local: string; domain: string } | undefined {
  const m = /^([^\s@+]+)@([^\s@]+\.[^\s@]+)$/.exec(address.trim().toLowerCase());
  return m ? { local: m[1] as string, domain: m[2] as string } : undefined;
}

export function replyAddressFor(base: string, token: string): string {
  const parts = splitAddress(base);
  if (!parts) throw new Error(`not a reply address: ${base}`);
  return `${parts.local}+${token}@${parts.domain}`;
}

/** The token in an address like reply+<token>@domain, when it is one of ours. */
export function tokenInAddress(base: string, address: string): string | undefined {
  const parts = splitAddress(base);
  if (!parts) return undefined;
  const m = /^([^\s@+]+)\+([a-z2-7]+)@([^\s@]+)$/i.exec(address.trim());
  if (!m || m[1]?.toLowerCase() !== parts.local || m[3]?.toLowerCase() !== parts.domain) return undefined;
  return m[2]?.toLowerCase();
}
