// Runs `hearth serve` in this process so `node --cpu-prof` can see it; SIGINT stops it cleanly.
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/main.js';

const server = await startServer(loadConfig(), (line) => process.stderr.write(`${line}\n`));
process.once('SIGINT', () => {
  void server.stop();
});
