// Hearth as real processes: the `hearth` command, `hearth serve` on a free port, and a fresh
// database of the run's target for them to share.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { testTarget } from './harness.js';

export const BIN = path.resolve(import.meta.dirname, '../bin/hearth.js');

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hearth ARGS` to its end with only the given environment (plus PATH). */
export function hearth(args: string[], env: Record<string, string>, input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface FreshDatabase {
  /** HEARTH_DATA, and DATABASE_URL on PostgreSQL. */
  env: Record<string, string>;
  dir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the run's target (a data folder on SQLite). */
export async function freshDatabase(): Promise<FreshDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-proc-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  if (testTarget === 'sqlite') return { env: { HEARTH_DATA: dir }, dir, drop: async () => removeDir() };
  const runUrl = loadConfig().testDatabaseUrl;
  const name = `hearth_proc_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: runUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  return {
    env: { HEARTH_DATA: dir, DATABASE_URL: url.href },
    dir,
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      removeDir();
    },
  };
}

export interface ServeProcess {
  child: ChildProcess;
  base: string;
  output(): string;
  exit: Promise<number | null>;
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>;
}

/** Starts `hearth serve` and resolves once it answers /healthz. */
export async function startServe(env: Record<string, string>): Promise<ServeProcess> {
  // A site that must know its own address (federation) names its port beside BASE_URL.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: String(port), ...env },
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) {
        return {
          child,
          base,
          output: () => output,
          exit,
          stop: () => {
            child.kill('SIGTERM');
            return exit;
          },
        };
      }
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`hearth serve did not answer: ${output}`);
}
