// `hearth media migrate --to database|folder`: moves a site's uploads between the data folder and
// the database. A progress line on a terminal, and one summary line always.
import { type Command, Option } from 'commander';
import type { Db } from '../db/connect.js';
import { InvalidError } from '../errors.js';
import { type MediaMigrateProgress, migrateMedia } from './media-migrate.js';
import type { MediaStorage } from './media-storage.js';

export interface MediaStores {
  db: Db;
  /** The database is one file on this machine (SQLite, src/db/dialect.ts): uploads stay in the data folder. */
  oneFile: boolean;
  folder: MediaStorage;
  database: MediaStorage;
}

export interface MediaCliDeps {
  withStores<T>(work: (stores: MediaStores) => Promise<T>): Promise<T>;
  say(line: string): void;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
const files = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;

function progressLine(p: MediaMigrateProgress): string {
  return `hearth: media ${p.done}/${p.total} files checked, ${files(p.copied)} copied (${megabytes(p.bytesCopied)})`;
}

export function registerMediaCommands(cli: Command, deps: MediaCliDeps): void {
  const media = cli.command('media').description('manage uploaded images');
  media
    .command('migrate')
    .description(
      'copy every upload into the database (PostgreSQL: served by every process) or out into the data folder; all or nothing, again and again',
    )
    .addOption(new Option('--to <store>', 'where the uploads go').choices(['database', 'folder']).makeOptionMandatory())
    .action(async (opts: { to: 'database' | 'folder' }) => {
      const tty = process.stderr.isTTY === true;
      let lastLine = 0;
      const result = await deps.withStores(async (stores) => {
        if (stores.oneFile) {
          throw new InvalidError(
            'on SQLite uploads stay in the data folder (HEARTH_DATA/media); set DATABASE_URL to the PostgreSQL database that should hold them',
          );
        }
        const [from, to] = opts.to === 'database' ? [stores.folder, stores.database] : [stores.database, stores.folder];
        return migrateMedia(stores.db, from, to, (p) => {
          // A line rewritten in place on a terminal; elsewhere (a log) one line per 100 files.
          if (tty) process.stderr.write(`\r${progressLine(p)}`);
          else if (p.done - lastLine >= 100) {
            lastLine = p.done;
            deps.say(progressLine(p));
          }
        });
      });
      if (tty) process.stderr.write('\n');
      const where = opts.to === 'database' ? 'into the database' : 'into the data folder';
      deps.say(
        `hearth: media copied ${where}: ${files(result.copied)} (${megabytes(result.bytesCopied)}), ${result.present} already there, ${result.total} in all`,
      );
    });
}
