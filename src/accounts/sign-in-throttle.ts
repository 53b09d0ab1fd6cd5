// Password guessing, slowed down without locking the owner out.
//
// Every attempt is counted before its password is checked, against three limits: the account from
// this address (tight), this address over every account, and the account from everywhere (slow,
// against guessing from many addresses). Counting first, in one atomic statement per limit, means
// N parallel guesses check at most `max` passwords. A success takes its counts back, so only
// failures add up. While the account-wide limit is reached, places the account signed in from
// before still get in, and so does a password reset link, which clears the account's counts.
import type { Db } from '../db/connect.js';
import { TooManyError } from '../errors.js';
import { hashToken } from '../ids.js';
import {
  clearCounter,
  clearCountersOfAccount,
  countAttempt,
  deleteCountersBefore,
  forgetAddressesBefore,
  knownAddress,
  rememberAddress,
  uncountAttempt,
} from './sign-in-store.js';

const MINUTE = 60_000;

export const SIGN_IN_THROTTLE = {
  /** Failures for one account from one address per window: a typo-prone owner gets this many. */
  maxPerPair: 5,
  pairWindowMs: 15 * MINUTE,
  /** Failures from one address across every account (trying many emails). */
  maxPerAddress: 20,
  addressWindowMs: 15 * MINUTE,
  /** Failures for one account from every address: guessing from many addresses at once. */
  maxPerAccount: 50,
  accountWindowMs: 60 * MINUTE,
  /** A place the account signed in from stays known this long after its last success. */
  knownAddressMs: 90 * 24 * 60 * MINUTE,
} as const;

type Scope = 'pair' | 'address' | 'account';

interface Limit {
  scope: Scope;
  key: string;
  account: string | null;
  max: number;
  windowMs: number;
}

/** The counts one attempt added: taken back when it succeeds. */
export interface Admission {
  email: string;
  address: string;
  counted: { scope: Scope; key: string; windowStart: number }[];
}

const accountOf = (email: string) => hashToken(`sign-in:account:${email}`);
const addressOf = (ip: string) => hashToken(`sign-in:address:${ip}`);

function limitsFor(email: string, ip: string): Limit[] {
  const account = accountOf(email);
  const T = SIGN_IN_THROTTLE;
  return [
    { scope: 'pair', key: hashToken(`sign-in:pair:${email}\n${ip}`), account, max: T.maxPerPair, windowMs: T.pairWindowMs },
    { scope: 'address', key: addressOf(ip), account: null, max: T.maxPerAddress, windowMs: T.addressWindowMs },
    { scope: 'account', key: account, account, max: T.maxPerAccount, windowMs: T.accountWindowMs },
  ];
}

function waitMessage(seconds: number, besieged: boolean): string {
  const minutes = Math.ceil(seconds / 60);
  const wait = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return besieged
    ? `This account has had too many attempts to sign in from new places. Sign in from a device you used here before, or ask for a new password; otherwise wait ${wait}.`
    : `Too many attempts to sign in. Wait ${wait} and try again, or ask for a new password.`;
}

/**
 * Counts the attempt against every limit, or throws TooManyError without checking the password.
 * `userId` is the account's, when the email has one (only its known places pass the account limit).
 */
export async function admitAttempt(
  db: Db,
  input: { email: string; ip: string; userId: string | undefined; now: number },
): Promise<Admission> {
  const { email, ip, userId, now } = input;
  const admission: Admission = { email, address: addressOf(ip), counted: [] };
  for (const limit of limitsFor(email, ip)) {
    const { attempts, windowStart } = await countAttempt(db, limit, now, limit.windowMs);
    admission.counted.push({ scope: limit.scope, key: limit.key, windowStart });
    if (attempts <= limit.max) continue;
    const known =
      limit.scope === 'account' &&
      userId !== undefined &&
      (await knownAddress(db, userId, admission.address, now - SIGN_IN_THROTTLE.knownAddressMs));
    if (known) continue;
    // Refused here: the counts other limits took for this attempt are given back, this one's stays.
    for (const c of admission.counted.slice(0, -1)) await uncountAttempt(db, c.key, c.windowStart);
    const seconds = Math.max(1, Math.ceil((windowStart + limit.windowMs - now) / 1000));
    throw new TooManyError(waitMessage(seconds, limit.scope === 'account'), seconds);
  }
  return admission;
}

/** The password was right: this place is known from now on, and the attempt counts for nothing. */
export async function attemptSucceeded(db: Db, admission: Admission, userId: string, now: number): Promise<void> {
  for (const c of admission.counted) {
    // The owner's own typos from this place are forgiven; the other limits only lose this attempt.
    if (c.scope === 'pair') await clearCounter(db, c.key);
    else await uncountAttempt(db, c.key, c.windowStart);
  }
  await rememberAddress(db, userId, admission.address, now);
  await deleteCountersBefore(db, now - SIGN_IN_THROTTLE.accountWindowMs);
  await forgetAddressesBefore(db, now - SIGN_IN_THROTTLE.knownAddressMs);
}

/** A password set through an emailed link: the account starts afresh, and this place is known. */
export async function accountRecovered(
  db: Db,
  input: { email: string; userId: string; ip: string | undefined; now: number },
): Promise<void> {
  await clearCountersOfAccount(db, accountOf(input.email));
  if (input.ip !== undefined) await rememberAddress(db, input.userId, addressOf(input.ip), input.now);
}
