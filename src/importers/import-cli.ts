// `hearth import wordpress|disqus|json FILE` and `hearth export wordpress|json [--out FILE]`.
// Requested data goes to stdout (--json summary, an export without --out); messages to stderr: a
// progress bar on a terminal, and one summary line always.
import { once } from 'node:events';
import fs from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { Argument, type Command } from 'commander';
import { InvalidError } from '../errors.js';
import { IMPORT_FORMATS, type ImportFormat, type ImportSummary, siteNamed } from './batch.js';
import type { ImportService } from './import-service.js';

/** A file that cannot be imported: a failure (exit 1), not a mistake in the command (exit 2). */
export class ImportFailed extends Error {}

export interface ImportCliDeps {
  withImports<T>(work: (imports: ImportService) => Promise<T>): Promise<T>;
  say(line: string): void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function summaryLine(s: ImportSummary): string {
  const verb = s.dryRun ? 'to add' : 'added';
  const parts = [
    `${plural(s.posts.added, 'post')} ${verb}${s.posts.existing ? ` (${s.posts.existing} already here)` : ''}`,
    `${plural(s.comments.added, 'comment')} ${verb}${s.comments.existing ? ` (${s.comments.existing} already here)` : ''}`,
    plural(s.users.added, 'new user'),
    plural(s.tags.added, 'new tag'),
    plural(s.redirects.added, 'redirect'),
  ];
  if (s.posts.drafts) parts.push(`${plural(s.posts.drafts, 'draft post')} for threads that matched no post`);
  if (s.inbox.leftOut && s.inbox.before !== null)
    parts.push(
      `${plural(s.inbox.leftOut, 'thread')} waiting since before ${new Date(s.inbox.before).toISOString().slice(0, 10)} left out of the inbox (Import page: bring them in)`,
    );
  const named = siteNamed(s);
  if (named) parts.push(named);
  const warnings = s.warnings.length + s.moreWarnings;
  const head = s.dryRun ? 'dry run, nothing written' : 'imported';
  return `hearth: ${head}: ${s.format} ${s.source}: ${parts.join(', ')}${warnings ? `; ${plural(warnings, 'warning')} (listed by --json)` : ''}`;
}

async function fileSize(file: string): Promise<number> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new ImportFailed(`${file} is not a file`);
    return stat.size;
  } catch (err) {
    if (err instanceof ImportFailed) throw err;
    throw new ImportFailed(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

/**
 * Writes chunks to `stream`, waiting for 'drain' when its buffer is full. One error listener for
 * the whole export (not one per write, which piled up past Node's limit and printed a
 * MaxListenersExceededWarning on big sites); a write error fails the next write.
 */
function writerTo(stream: NodeJS.WritableStream): (chunk: string) => Promise<void> {
  let failed: Error | null = null;
  stream.on('error', (err: Error) => {
    failed = err;
  });
  return async (chunk) => {
    if (failed) throw failed;
    // events.once removes its 'drain' and 'error' listeners as soon as either comes.
    if (!stream.write(chunk)) await once(stream as NodeJS.EventEmitter, 'drain');
    if (failed) throw failed;
  };
}

export function registerImportCommands(cli: Command, deps: ImportCliDeps): void {
  cli
    .command('import')
    .description('import a WordPress (WXR), Disqus, Remark42 or Isso export, or restore a Hearth JSON backup; all or nothing')
    .addArgument(new Argument('<format>', 'what the file is').choices(IMPORT_FORMATS))
    .argument('<file>', 'the export file')
    .option('--dry-run', 'read and check the file, print what would change, write nothing')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--site <origin>', 'isso: the site its pages are on, e.g. https://blog.example.org')
    .action(async (format: ImportFormat, file: string, opts: { dryRun?: boolean; json?: boolean; site?: string }) => {
      const size = await fileSize(file);
      const bar = process.stderr.isTTY
        ? new SingleBar(
            { format: 'importing {bar} {percentage}% | {posts} posts, {comments} comments', stream: process.stderr, hideCursor: true },
            Presets.shades_classic,
          )
        : null;
      bar?.start(size, 0, { posts: 0, comments: 0 });
      let summary: ImportSummary;
      try {
        summary = await deps.withImports((imports) =>
          imports.importStream(format, fs.createReadStream(file, { highWaterMark: 256 * 1024 }), {
            dryRun: opts.dryRun === true,
            totalBytes: size,
            site: opts.site,
            onProgress: (p) => bar?.update(p.bytesRead, { posts: p.posts, comments: p.comments }),
          }),
        );
      } catch (err) {
        if (err instanceof InvalidError) throw new ImportFailed(`${file}: ${err.message}; nothing was imported`);
        throw err;
      } finally {
        bar?.stop();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      deps.say(summaryLine(summary));
    });

  cli
    .command('export')
    .description('export the site as WordPress WXR 1.2 or as a complete Hearth JSON backup')
    .addArgument(
      new Argument('<format>', 'wordpress (WXR 1.2) or json (a backup "hearth import json" restores)').choices(['wordpress', 'json']),
    )
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (format: 'wordpress' | 'json', opts: { out?: string }) => {
      // A file is written beside its final name and renamed at the end: never half an export.
      const partial = opts.out ? `${opts.out}.partial-${process.pid}` : null;
      const stream = partial ? fs.createWriteStream(partial) : process.stdout;
      try {
        const write = writerTo(stream);
        const what = await deps.withImports(async (imports) => {
          if (format === 'wordpress') {
            const r = await imports.exportWordpress(write);
            return `${plural(r.posts, 'post')} and ${plural(r.comments, 'comment')} as WXR 1.2`;
          }
          const counts = await imports.exportJson(write);
          return `a backup of ${Object.entries(counts)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')}`;
        });
        if (partial && opts.out) {
          await new Promise<void>((resolve, reject) =>
            (stream as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())),
          );
          await fs.promises.rename(partial, opts.out);
        }
        deps.say(`hearth: exported ${what}${opts.out ? ` to ${opts.out}` : ''}`);
      } catch (err) {
        if (partial) await fs.promises.rm(partial, { force: true });
        throw err;
      }
    });
}
