// The Chromium harness: the real app served on a loopback port, and Debian's Chromium driving it.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { requestHandler } from '../../src/main.js';
import { type TestApp, type TestAppOptions, testApp } from '../harness.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface ServedApp extends TestApp {
  base: string;
  stop(): Promise<void>;
}

/**
 * A test app listening on a free loopback port, through the same request handler as `hearth
 * serve` (so the page cache, when asked for, answers from the socket). Its clock runs in real
 * time unless moved.
 */
export async function serveTestApp(options: Omit<TestAppOptions, 'now' | 'baseUrl'> & { ownBaseUrl?: boolean } = {}): Promise<ServedApp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  // ownBaseUrl: the site's public address is the port it listens on (links other sites follow back).
  const t = await testApp({ now: Date.now(), ...options, ...(options.ownBaseUrl ? { baseUrl: `http://127.0.0.1:${port}` } : {}) });
  server.on('request', requestHandler({ app: t.app, pageCache: t.pageCache, changes: t.changes }));
  return {
    ...t,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      t.services.live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}

/** Signs a staff member in through the workspace's sign-in page (factories' password). */
export async function signIn(page: Page, base: string, email: string, password = 'correct horse battery'): Promise<void> {
  await page.goto(`${base}/admin/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/admin/`);
}
