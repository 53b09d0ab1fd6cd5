// A real IMAP server for tests: Debian's Dovecot, run from a temporary folder (its own config,
// base_dir, passwd-file users and maildirs) on a free loopback port, stopped and removed after.
// Missing Dovecot skips loudly outside CI; under CI=true the caller fails instead.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './processes.js';

export const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => fs.existsSync(p));
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export interface Dovecot {
  port: number;
  /** imap://user:password@127.0.0.1:port/INBOX */
  urlFor(user: string): string;
  close(): Promise<void>;
}

export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  if (!DOVECOT) throw new Error('dovecot is not installed (apt-get install dovecot-imapd)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-dovecot-'));
  const port = await freePort();
  const { uid, gid, username } = os.userInfo();
  // Dovecot's login and internal processes must not run as root: as root, its own users serve.
  const asRoot = uid === 0;
  const loginUser = asRoot ? 'dovenull' : username;
  const internalUser = asRoot ? 'dovecot' : username;
  fs.chmodSync(dir, 0o755);
  // Mail is never stored as root either: the mailboxes belong to Dovecot's internal user then.
  const owner = asRoot ? systemUser(internalUser) : { uid, gid };
  const group = fs
    .readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid))
    ?.split(':')[0];
  fs.writeFileSync(
    path.join(dir, 'passwd'),
    Object.entries(users)
      .map(([u, p]) => `${u}:{PLAIN}${p}::::::\n`)
      .join(''),
  );
  for (const sub of ['run', 'state', 'mail', 'home']) fs.mkdirSync(path.join(dir, sub));
  for (const sub of ['mail', 'home']) fs.chownSync(path.join(dir, sub), owner.uid, owner.gid);
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_internal_user = ${internalUser}
${asRoot ? '' : `default_internal_group = ${group ?? username}`}
default_login_user = ${loginUser}
first_valid_uid = ${owner.uid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
service auth {
  unix_listener auth-userdb {
    mode = 0666
  }
}
`;
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), conf);
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when the port takes a connection and greets.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot stopped: ${output}${readLog(dir)}`);
    if (await greets(port)) break;
    if (i > 200) throw new Error(`dovecot did not start: ${output}${readLog(dir)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    urlFor: (user) => `imap://${encodeURIComponent(user)}:${encodeURIComponent(users[user] ?? '')}@127.0.0.1:${port}/INBOX`,
    async close() {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`the system user ${name} is missing (it comes with dovecot-core)`);
  const [, , u, g] = line.split(':');
  return { uid: Number(u), gid: Number(g) };
}

function readLog(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
  } catch {
    return '';
  }
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
  });
}
