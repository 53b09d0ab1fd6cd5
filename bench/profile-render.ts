// Profiles rendering of one page in-process: `node --cpu-prof --import tsx bench/profile-render.ts DB PATH N`.
import pino from 'pino';
import { connect } from '../src/db/connect.js';
import { compose } from '../src/main.js';

const [file = '/tmp/bx/hearth.db', path = '/two-hundred-voices/', count = '300'] = process.argv.slice(2);
const conn = await connect({ kind: 'sqlite', file });
const { app } = compose({ conn, baseUrl: 'http://127.0.0.1', dataDir: '/tmp/bx', log: pino({ level: 'silent' }) });
for (let i = 0; i < 20; i++) await (await app.request(path)).text();
const started = process.cpuUsage();
for (let i = 0; i < Number(count); i++) await (await app.request(path)).text();
const used = process.cpuUsage(started);
console.log(`${path}: ${((used.user + used.system) / Number(count) / 1000).toFixed(2)} ms CPU per render`);
await conn.close();
