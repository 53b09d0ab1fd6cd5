// The only module that reads process.env. Every option is declared once, with its variable,
// default and meaning; a bad value stops the boot with one line naming the variable.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '0' || v === '1', { message: `${name} must be 0 or 1` })
    .transform((v) => v === '1');

const port = z
  .string()
  .trim()
  .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
    message: 'PORT must be a whole number from 1 to 65535',
  })
  .transform(Number);

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `${name} must be a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), {
      message: `${name} must be an http:// or https:// URL`,
    })
    .transform((v) => v.replace(/\/+$/, ''));

const urlWithSchemes = (name: string, schemes: string[], what: string) =>
  z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && schemes.includes(new URL(v).protocol), {
      message: `${name} must be ${what}`,
    });

/** Each entry: the variable, its schema (input is the raw string), its default and a line of docs. */
const options = {
  PORT: { schema: port, default: '3000', doc: 'port to listen on' },
  HOST: { schema: z.string().trim().min(1, 'HOST must not be empty'), default: '127.0.0.1', doc: 'address to listen on' },
  HEARTH_DATA: {
    schema: z.string().trim().min(1, 'HEARTH_DATA must name a folder'),
    default: 'data',
    doc: 'data folder: SQLite file, uploads, dev mail',
  },
  DATABASE_URL: {
    schema: urlWithSchemes('DATABASE_URL', ['postgres:', 'postgresql:'], 'a postgres:// URL (or unset for SQLite)'),
    default: undefined,
    doc: 'postgres://... runs on PostgreSQL; unset = SQLite in HEARTH_DATA',
  },
  BASE_URL: { schema: httpUrl('BASE_URL'), default: undefined, doc: 'public URL used in links, feeds and emails' },
  SMTP_URL: {
    schema: urlWithSchemes('SMTP_URL', ['smtp:', 'smtps:'], 'an smtp:// or smtps:// URL'),
    default: undefined,
    doc: 'outgoing mail server; unset = .eml files in HEARTH_DATA/mail/',
  },
  HEARTH_DKIM_DOMAIN: {
    schema: z.string().trim().min(3, 'HEARTH_DKIM_DOMAIN must be a domain like example.com'),
    default: undefined,
    doc: 'DKIM: the signing domain (set all three HEARTH_DKIM_* to sign outgoing mail)',
  },
  HEARTH_DKIM_SELECTOR: {
    schema: z.string().trim().min(1, 'HEARTH_DKIM_SELECTOR must not be empty'),
    default: undefined,
    doc: 'DKIM: the selector whose TXT record holds the public key',
  },
  HEARTH_DKIM_PRIVATE_KEY: {
    schema: z.string().trim().min(1, 'HEARTH_DKIM_PRIVATE_KEY must be a PEM key or the path of a PEM file'),
    default: undefined,
    doc: 'DKIM: the private key, as PEM text or the path of a PEM file',
  },
  MAIL_FROM: {
    schema: z.string().trim().min(3, 'MAIL_FROM must be an address like "Hearth <blog@example.com>"'),
    default: undefined,
    doc: 'From: of outgoing mail',
  },
  HEARTH_SMTP_LISTEN: {
    schema: z
      .string()
      .trim()
      .refine((v) => /^(\[[0-9a-f:.]+\]|[\w.-]+):\d{1,5}$/i.test(v) && Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, {
        message: 'HEARTH_SMTP_LISTEN must be host:port, e.g. 0.0.0.0:25',
      }),
    default: undefined,
    doc: 'incoming mail: host:port of the SMTP listener for replies by email (unset = no listener)',
  },
  HEARTH_SMTP_TLS_CERT: {
    schema: z.string().trim().min(1),
    default: undefined,
    doc: 'incoming mail: PEM certificate file; with HEARTH_SMTP_TLS_KEY the listener offers STARTTLS',
  },
  HEARTH_SMTP_TLS_KEY: {
    schema: z.string().trim().min(1),
    default: undefined,
    doc: 'incoming mail: PEM private key file of that certificate',
  },
  HEARTH_IMAP_URL: {
    schema: urlWithSchemes('HEARTH_IMAP_URL', ['imap:', 'imaps:'], 'an imap:// or imaps:// URL like imaps://user:password@host/INBOX'),
    default: undefined,
    doc: 'incoming mail: a mailbox to poll for replies by email (unset = no polling)',
  },
  HEARTH_IMAP_DONE_FOLDER: {
    schema: z.string().trim().min(1, 'HEARTH_IMAP_DONE_FOLDER must name a folder'),
    default: 'Hearth',
    doc: 'incoming mail: the folder handled messages are moved to',
  },
  HEARTH_IMAP_POLL_SECONDS: {
    schema: z
      .string()
      .trim()
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 5 && Number(v) <= 86_400, { message: 'HEARTH_IMAP_POLL_SECONDS must be 5 to 86400' })
      .transform(Number),
    default: '60',
    doc: 'incoming mail: seconds between polls of the mailbox',
  },
  REDIS_URL: {
    schema: urlWithSchemes('REDIS_URL', ['redis:', 'rediss:'], 'a redis:// or rediss:// URL'),
    default: undefined,
    doc: 'optional shared store for rate limits across processes',
  },
  TRUST_PROXY: {
    schema: z
      .string()
      .trim()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    default: undefined,
    doc: 'comma-separated proxy addresses whose X-Forwarded-For counts',
  },
  HEARTH_SECRET: {
    schema: z.string().min(32, 'HEARTH_SECRET must be at least 32 characters'),
    default: undefined,
    doc: 'signing key shared by every process',
  },
  HEARTH_DEMO: { schema: flag('HEARTH_DEMO'), default: '1', doc: '0: no demo content on an empty database' },
  LOG_LEVEL: {
    schema: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }),
    default: 'info',
    doc: 'pino log level',
  },
  HEARTH_BACKUP_DIR: {
    schema: z.string().trim().min(1, 'HEARTH_BACKUP_DIR must name a folder'),
    default: undefined,
    doc: 'where `hearth backup` and scheduled backups go; unset = HEARTH_DATA/backups',
  },
  HEARTH_BACKUP_HOURS: {
    schema: wholeNumber('HEARTH_BACKUP_HOURS', 0, 24 * 366),
    default: '24',
    doc: 'hours between the backups `hearth serve` takes by itself; 0 turns them off',
  },
  HEARTH_BACKUP_KEEP: {
    schema: wholeNumber('HEARTH_BACKUP_KEEP', 1, 10_000),
    default: '7',
    doc: 'how many backups to keep in HEARTH_BACKUP_DIR; older ones are removed after each backup',
  },
  HEARTH_STATEMENT_TIMEOUT_MS: {
    schema: wholeNumber('HEARTH_STATEMENT_TIMEOUT_MS', 0, 3_600_000),
    default: '15000',
    doc: 'PostgreSQL: a query of `hearth serve` slower than this is cancelled and answered 503 (0: no limit)',
  },
  HEARTH_MAX_IN_FLIGHT: {
    schema: wholeNumber('HEARTH_MAX_IN_FLIGHT', 1, 100_000),
    default: '256',
    doc: 'requests one process works on at once; more are answered 503 with Retry-After at once',
  },
  HEARTH_WEBMENTION_ALLOW_PRIVATE: {
    schema: flag('HEARTH_WEBMENTION_ALLOW_PRIVATE'),
    default: '0',
    doc: '1 lets Webmention fetches reach private, loopback and link-local addresses (tests, a private network)',
  },
  HEARTH_PAGE_CACHE: { schema: flag('HEARTH_PAGE_CACHE'), default: '1', doc: '0 turns the page cache off' },
  HEARTH_RENDER_THREADS: {
    schema: flag('HEARTH_RENDER_THREADS'),
    default: '1',
    doc: '0: serve does not render, at start, every thread whose kept HTML is empty; pages render each when it is first shown',
  },
  HEARTH_DEBUG: { schema: flag('HEARTH_DEBUG'), default: '0', doc: '1 prints stack traces of failures' },
  HEARTH_BENCHMARK_RELAX: {
    schema: flag('HEARTH_BENCHMARK_RELAX'),
    default: '0',
    doc: 'benchmarks only: 1 publishes comments without holds or rate limits (never in production)',
  },
  HEARTH_FEDERATION_ALLOW_PRIVATE: {
    schema: flag('HEARTH_FEDERATION_ALLOW_PRIVATE'),
    default: '0',
    doc: 'tests only: 1 lets ActivityPub reach loopback and private addresses over http (sites on one machine)',
  },
  HEARTH_PASSWORD: { schema: z.string(), default: undefined, doc: "`hearth user add`: the new account's password" },
  TEST_DATABASE_URL: {
    schema: urlWithSchemes('TEST_DATABASE_URL', ['postgres:', 'postgresql:'], 'a postgres:// URL'),
    default: 'postgres://postgres@127.0.0.1:5432/postgres',
    doc: 'tests only: where the PostgreSQL suite creates its databases',
  },
} as const;

type Options = typeof options;
// Options with a default always have a value; the others may be undefined.
type Parsed = {
  [K in keyof Options]: Options[K]['default'] extends string ? z.output<Options[K]['schema']> : z.output<Options[K]['schema']> | undefined;
};

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly baseUrl: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** DKIM signing of outgoing mail, when all three HEARTH_DKIM_* are set. */
  readonly dkim: { readonly domainName: string; readonly keySelector: string; readonly privateKey: string } | undefined;
  readonly redisUrl: string | undefined;
  /** Replies by email (src/mailin): the SMTP listener and the polled mailbox, when set. */
  readonly mailIn: {
    readonly smtpListen: { readonly host: string; readonly port: number } | undefined;
    readonly tls: { readonly cert: string; readonly key: string } | undefined;
    readonly imap: { readonly url: string; readonly doneFolder: string; readonly pollSeconds: number } | undefined;
  };
  readonly trustProxy: readonly string[];
  readonly secret: string | undefined;
  readonly demo: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly pageCache: boolean;
  /** Whether `serve` renders, at start, every thread whose kept HTML is empty or outdated (HEARTH_RENDER_THREADS). */
  readonly renderThreadsAtStart: boolean;
  /** Webmention fetches may reach private and loopback addresses (HEARTH_WEBMENTION_ALLOW_PRIVATE). */
  readonly webmentionAllowPrivate: boolean;
  /** PostgreSQL statement timeout for `serve`, in ms (0: none). */
  readonly statementTimeoutMs: number;
  /** Requests a process works on at once before it sheds load with 503. */
  readonly maxInFlight: number;
  /** Backups: where they go, how often `serve` takes one (0: never), how many are kept. */
  readonly backup: { readonly dir: string; readonly everyHours: number; readonly keep: number };
  readonly debug: boolean;
  /** Benchmarks only: comments skip holds and rate limits. */
  readonly benchmarkRelax: boolean;
  /** Tests only: ActivityPub may reach loopback and private addresses. */
  readonly federationAllowPrivate: boolean;
  readonly testDatabaseUrl: string;
  /** For `hearth user add` only. */
  readonly password: string | undefined;
}

/** A configuration problem, reported as one line and exit status 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const configDocs = Object.entries(options).map(([name, o]) => ({ name, default: o.default, doc: o.doc }));

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const raw: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) {
    const given = env[name];
    const value = given === undefined || given === '' ? option.default : given;
    if (value === undefined) {
      raw[name] = undefined;
      continue;
    }
    const result = (option.schema as z.ZodType).safeParse(value);
    if (!result.success) {
      const message = result.error.issues[0]?.message ?? `${name} is invalid`;
      throw new ConfigError(`${message} (got ${JSON.stringify(given)})`);
    }
    raw[name] = result.data;
  }
  const v = raw as Parsed;
  const dataDir = path.resolve(cwd, v.HEARTH_DATA);
  const dkim = dkimOptions(v.HEARTH_DKIM_DOMAIN, v.HEARTH_DKIM_SELECTOR, v.HEARTH_DKIM_PRIVATE_KEY, cwd);
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    dataDir,
    database: v.DATABASE_URL
      ? { kind: 'postgres' as const, url: v.DATABASE_URL }
      : { kind: 'sqlite' as const, file: path.join(dataDir, 'hearth.db') },
    baseUrl: v.BASE_URL ?? `http://127.0.0.1:${v.PORT}`,
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM ?? `Hearth <hearth@${new URL(v.BASE_URL ?? 'http://localhost').hostname}>`,
    dkim,
    redisUrl: v.REDIS_URL,
    mailIn: mailInOptions(v, cwd),
    trustProxy: v.TRUST_PROXY ?? [],
    secret: v.HEARTH_SECRET,
    demo: v.HEARTH_DEMO,
    logLevel: v.LOG_LEVEL,
    pageCache: v.HEARTH_PAGE_CACHE,
    renderThreadsAtStart: v.HEARTH_RENDER_THREADS,
    webmentionAllowPrivate: v.HEARTH_WEBMENTION_ALLOW_PRIVATE,
    statementTimeoutMs: v.HEARTH_STATEMENT_TIMEOUT_MS,
    maxInFlight: v.HEARTH_MAX_IN_FLIGHT,
    backup: Object.freeze({
      dir: path.resolve(cwd, v.HEARTH_BACKUP_DIR ?? path.join(dataDir, 'backups')),
      everyHours: v.HEARTH_BACKUP_HOURS,
      keep: v.HEARTH_BACKUP_KEEP,
    }),
    debug: v.HEARTH_DEBUG,
    benchmarkRelax: v.HEARTH_BENCHMARK_RELAX,
    federationAllowPrivate: v.HEARTH_FEDERATION_ALLOW_PRIVATE,
    testDatabaseUrl: v.TEST_DATABASE_URL,
    password: v.HEARTH_PASSWORD,
  });
}

/** All three DKIM variables or none; the key may be given inline (PEM) or as a file. */
function dkimOptions(domain: string | undefined, selector: string | undefined, key: string | undefined, cwd: string): Config['dkim'] {
  const given = [domain, selector, key].filter((x) => x !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3) throw new ConfigError('HEARTH_DKIM_DOMAIN, HEARTH_DKIM_SELECTOR and HEARTH_DKIM_PRIVATE_KEY must be set together');
  let privateKey = (key as string).replace(/\\n/g, '\n');
  if (!privateKey.includes('-----BEGIN')) {
    try {
      privateKey = fs.readFileSync(path.resolve(cwd, privateKey), 'utf8');
    } catch {
      throw new ConfigError(`HEARTH_DKIM_PRIVATE_KEY is neither a PEM key nor a readable file (got ${JSON.stringify(key)})`);
    }
  }
  return Object.freeze({ domainName: domain as string, keySelector: selector as string, privateKey });
}

function mailInOptions(v: Parsed, cwd: string): Config['mailIn'] {
  if ((v.HEARTH_SMTP_TLS_CERT === undefined) !== (v.HEARTH_SMTP_TLS_KEY === undefined))
    throw new ConfigError('HEARTH_SMTP_TLS_CERT and HEARTH_SMTP_TLS_KEY must be set together');
  const listen = v.HEARTH_SMTP_LISTEN;
  const colon = listen?.lastIndexOf(':') ?? -1;
  return Object.freeze({
    smtpListen: listen ? { host: listen.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(listen.slice(colon + 1)) } : undefined,
    tls:
      v.HEARTH_SMTP_TLS_CERT && v.HEARTH_SMTP_TLS_KEY
        ? { cert: path.resolve(cwd, v.HEARTH_SMTP_TLS_CERT), key: path.resolve(cwd, v.HEARTH_SMTP_TLS_KEY) }
        : undefined,
    imap: v.HEARTH_IMAP_URL
      ? { url: v.HEARTH_IMAP_URL, doneFolder: v.HEARTH_IMAP_DONE_FOLDER, pollSeconds: v.HEARTH_IMAP_POLL_SECONDS }
      : undefined,
  });
}
