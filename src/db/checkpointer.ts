// WAL checkpoints on a thread of their own. A checkpoint copies the WAL back into the database
// file and syncs it; done by the connection that serves requests, that sync stalls every request
// behind it. Here a second connection on a worker thread runs a passive checkpoint a few times a
// second, so the serving connection only appends to the WAL. Durability is unchanged: a commit is
// safe once it is in the WAL (synchronous=NORMAL), and this connection syncs exactly as the serving
// one would. The serving connection keeps a (larger) automatic checkpoint as a safety net, should
// this thread ever fall behind or stop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints. */
const INTERVAL_MS = 200;

// Plain CommonJS, evaluated in the worker: the bundle stays one file.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Busy or briefly unreadable: the next turn tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Checkpoints once more, closes the thread's connection and ends the thread. */
  stop(): Promise<void>;
}

export function startCheckpointer(file: string): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { file, module, intervalMs: INTERVAL_MS } });
  // It never keeps the process alive; a process that ends without closing loses nothing.
  worker.unref();
  let exited = false;
  const done = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      exited = true;
      resolve();
    });
    // Without the thread the serving connection's own automatic checkpoint takes over.
    worker.once('error', () => resolve());
  });
  return {
    async stop() {
      if (!exited) {
        // Waited for now: the thread closes its connection before the serving one closes.
        worker.ref();
        worker.postMessage('stop');
      }
      await done;
    },
  };
}
