// The `hearth` command. Messages go to stderr as one line each; only requested data goes to stdout.
// Exit status: 0 success, 1 failure, 2 bad usage or configuration.
import { Command, CommanderError, Option } from 'commander';
import { type ApiTokenInfo, MAX_TOKEN_DAYS } from './accounts/accounts-service.js';
import { registerBackupCommands } from './backup/backup-cli.js';
import { createChangeFeed } from './cache/change-feed.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import type { Connection } from './db/connect.js';
import { isOneFile } from './db/dialect.js';
import { STAFF_ROLES, type StaffRole } from './db/tables.js';
import { ConflictError, HearthError, InvalidError, NotFoundError } from './errors.js';
import { registerImportCommands } from './importers/import-cli.js';
import { compose, createLogger, mediaStores, openDatabase, startServer } from './main.js';
import { registerMediaCommands } from './media/media-cli.js';
import { isoTime } from './web/format.js';

/** A mistake in how the command was called: exit status 2. */
class UsageError extends Error {}

function days(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_TOKEN_DAYS)
    throw new UsageError(`--expires-in-days must be a whole number of days, from 1 to ${MAX_TOKEN_DAYS}`);
  return Number(raw);
}

const tokenJson = (t: ApiTokenInfo) => ({
  id: t.id,
  label: t.label,
  createdAt: isoTime(t.createdAt),
  lastUsedAt: t.lastUsedAt === null ? null : isoTime(t.lastUsedAt),
  expiresAt: t.expiresAt === null ? null : isoTime(t.expiresAt),
  expired: t.expired,
});

/** One token a line, tab-separated under a header; labels are one line of text (no tabs). */
function tokenTable(tokens: readonly ApiTokenInfo[]): string {
  const rows = tokens.map((t) => [
    t.id,
    t.label,
    isoTime(t.createdAt),
    t.lastUsedAt === null ? 'never' : isoTime(t.lastUsedAt),
    t.expiresAt === null ? 'never' : `${isoTime(t.expiresAt)}${t.expired ? ' (expired)' : ''}`,
  ]);
  return [['ID', 'LABEL', 'CREATED', 'LAST USED', 'EXPIRES'], ...rows].map((r) => `${r.join('\t')}\n`).join('');
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Runs a one-shot command against the migrated database, then closes it. */
async function withServices<T>(
  config: Config,
  work: (services: ReturnType<typeof compose>['services'], conn: Connection) => Promise<T>,
): Promise<T> {
  const conn = await openDatabase(config);
  // On PostgreSQL a running site hears of what this command changes (its page cache empties).
  const changes = await createChangeFeed(conn, () => {});
  try {
    const { services } = compose({
      conn,
      changes,
      baseUrl: config.baseUrl,
      dataDir: config.dataDir,
      log: createLogger({ logLevel: 'silent' }),
      secret: config.secret,
    });
    return await work(services, conn);
  } finally {
    await changes.close();
    await conn.close();
  }
}

function program(getConfig: () => Config): Command {
  const cli = new Command('hearth')
    .description('Hearth: a publishing platform for writers whose readers write back.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run "hearth --help" for usage)');

  cli
    .command('serve')
    .description('migrate the database, then serve the site')
    .action(async () => {
      const server = await startServer(getConfig(), say);
      await new Promise<void>((resolve) => {
        const onSignal = () => {
          server.stop().then(resolve, (err: unknown) => {
            say(`hearth: shutdown failed: ${(err as Error).message}`);
            process.exit(1);
          });
        };
        // A repeated signal (npm forwards one too) joins the shutdown already under way.
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
    });

  cli
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const conn = await openDatabase(getConfig());
      await conn.close();
      say('hearth: the database is up to date');
    });

  cli
    .command('mail')
    .description('replies by email')
    .command('receive')
    .description("take one message on standard input (an MTA's pipe): it becomes a comment, or is kept with the reason")
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const config = getConfig();
      const received = await withServices(config, (services) => services.mailIn.receive(Buffer.concat(chunks), 'pipe')).catch(
        (err: unknown) => {
          throw new TryAgainLater(err instanceof Error ? err.message : String(err));
        },
      );
      say(`hearth: ${received.outcome}: ${received.reason}`);
    });

  const user = cli.command('user').description('manage staff accounts');
  user
    .command('add')
    .description('add a staff account (password from HEARTH_PASSWORD or --password-stdin)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'name shown on posts and replies')
    .addOption(new Option('--role <role>', 'what the account may do').choices(STAFF_ROLES).makeOptionMandatory())
    .option('--password-stdin', 'read the password from standard input')
    .option('--no-password', 'create an invited account that signs in through a reset link')
    .action(async (opts: { email: string; name: string; role: StaffRole; passwordStdin?: boolean; password: boolean }) => {
      const config = getConfig();
      let password: string | null;
      if (opts.password === false) password = null;
      else if (opts.passwordStdin) password = await readStdin();
      else if (config.password !== undefined) password = config.password;
      else throw new UsageError('give a password with HEARTH_PASSWORD or --password-stdin, or pass --no-password to invite');
      const added = await withServices(config, (s) =>
        s.accounts.addUser({ email: opts.email, name: opts.name, role: opts.role, password }),
      );
      say(
        `hearth: added ${added.role} ${added.name} <${added.email}>${password === null ? ' (no password yet: signs in through a reset link)' : ''}`,
      );
    });

  const token = cli.command('token').description('manage API tokens');
  token
    .command('create')
    .description("print a new API token that acts as the user with that user's role")
    .requiredOption('--email <email>', 'the user the token acts as')
    .option('--label <label>', 'a note to recognise the token by', 'API token')
    .option('--expires-in-days <days>', 'stop working after this many days (default: until revoked)')
    .action(async (opts: { email: string; label: string; expiresInDays?: string }) => {
      const expiresInDays = opts.expiresInDays === undefined ? undefined : days(opts.expiresInDays);
      const created = await withServices(getConfig(), (s) => s.accounts.createToken(opts.email, opts.label, { expiresInDays }));
      process.stdout.write(`${created.token}\n`);
      const until = created.info.expiresAt === null ? '' : `, works until ${isoTime(created.info.expiresAt)}`;
      say(`hearth: token ${created.info.id} created for ${created.user.email} (${created.user.role})${until}; it is shown only once`);
    });
  token
    .command('list')
    .description("list a user's API tokens: id, label, created, last used, expires (never the secret)")
    .requiredOption('--email <email>', 'the user whose tokens to list')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { email: string; json?: boolean }) => {
      const { user: owner, tokens } = await withServices(getConfig(), (s) => s.accounts.tokensOf(opts.email));
      if (opts.json) process.stdout.write(`${JSON.stringify(tokens.map(tokenJson), null, 2)}\n`);
      else if (tokens.length > 0) process.stdout.write(tokenTable(tokens));
      say(`hearth: ${owner.email} has ${tokens.length === 1 ? '1 API token' : `${tokens.length} API tokens`}`);
    });
  token
    .command('revoke')
    .description('revoke an API token by its id (from "hearth token list"): it stops working at once')
    .argument('<id>', 'the token id')
    .action(async (id: string) => {
      const { user: owner, info } = await withServices(getConfig(), (s) => s.accounts.revokeToken(id));
      say(`hearth: revoked token ${info.id} ("${info.label}") of ${owner.email}`);
    });

  registerImportCommands(cli, { withImports: (work) => withServices(getConfig(), (s) => work(s.imports)), say });
  registerMediaCommands(cli, {
    say,
    withStores: async (work) => {
      const config = getConfig();
      const conn = await openDatabase(config);
      try {
        return await work({ db: conn.db, oneFile: isOneFile(conn.db), ...mediaStores(conn, config.dataDir) });
      } finally {
        await conn.close();
      }
    },
  });
  registerBackupCommands(cli, {
    config: getConfig,
    withSite: (work) => withServices(getConfig(), (s, conn) => work({ conn, imports: s.imports })),
    say,
  });

  return cli;
}

/** A message not taken in (the database is down): exit 75, EX_TEMPFAIL, so the MTA tries again. */
class TryAgainLater extends Error {}

/** Runs the CLI and returns the exit status. */
export async function run(argv: string[]): Promise<number> {
  let config: Config | undefined;
  const getConfig = () => {
    config ??= loadConfig();
    return config;
  };
  let debug = false;
  try {
    debug = loadConfig().debug;
  } catch {
    // reported below when a command reads the configuration
  }
  try {
    await program(getConfig).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      return 2; // commander already printed what was wrong
    }
    if (debug) console.error(err);
    if (err instanceof TryAgainLater) {
      say(`hearth: not received, try again later: ${err.message.split('\n')[0]}`);
      return 75;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ConfigError || err instanceof UsageError || err instanceof InvalidError) {
      say(`hearth: ${message}`);
      return 2;
    }
    if (err instanceof HearthError || err instanceof ConflictError || err instanceof NotFoundError) {
      say(`hearth: ${message}`);
      return 1;
    }
    say(`hearth: ${message.split('\n')[0]}`);
    return 1;
  }
}
