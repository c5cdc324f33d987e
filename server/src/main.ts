import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { systemClock } from './core/clock.js';
import { loadSettings } from './config/settings.js';
import { resolveRulesDir } from './config/workspace.js';
import { dialectOf, resolveDatabaseTarget, shownDatabaseUrl, sqliteFileOf } from './persistence/data-source.js';
import { sqliteReadableByOthers } from './persistence/private-files.js';
import { shopIdOf } from './persistence/shop-identity.js';
import { ensureDemoShop } from './startup/demo-shop.js';
import { ensureFirstAdmin } from './startup/first-admin.js';
import { segmentFileWarnings } from './startup/segment-files.js';
import { shortShopId } from './workers/shop-check.js';
import { queueSettings, safeUrl } from './workers/queue-settings.js';
import { SIMULATION_COPY } from './api/tokens.js';
import type { SimulationCopyHold } from './runtime/simulation-copy-hold.js';

/** `npm start`: the server on http://127.0.0.1:3000 over the embedded SQLite file. */
async function main() {
  // Every setting is validated before anything starts; a bad one stops here, naming it.
  const settings = loadSettings();
  const database = resolveDatabaseTarget(settings.DATABASE_URL);
  // Workers read and write the planner's database: on a SQLite file (or a DATABASE_URL forgotten,
  // which means the default file) the server would hand its own enrollment ids to workers stepping
  // some PostgreSQL shop, and say nothing.
  if (settings.REKINDLE_STEP_QUEUE === 'bullmq' && dialectOf(database) !== 'postgres') {
    throw new Error(`REKINDLE_STEP_QUEUE=bullmq needs DATABASE_URL=postgres://… (the database the workers share); the database is ${shownDatabaseUrl(database.url)}. SQLite steps in the server itself: leave REKINDLE_STEP_QUEUE unset`);
  }
  // A shop's file that other local users can read is said once, here, before anything opens it (a
  // new one is created 0600); its mode is the admin's to change, not changed behind their back.
  const sqliteFile = sqliteFileOf(database);
  const readable = sqliteFile ? sqliteReadableByOthers(sqliteFile) : null;
  if (readable) console.error(readable);
  const rulesDir = resolveRulesDir(settings.REKINDLE_RULES);
  // So are the segment files: a mistake in one is said here, naming the file, line and field (the rest run).
  for (const line of segmentFileWarnings(rulesDir)) console.error(line);
  // Made-up customers only when `npm start` asks (scripts/start.sh passes --demo-shop outside
  // production): `npm run serve` is how a real shop runs, and its empty database must stay its own.
  await ensureDemoShop(database, rulesDir, { generate: process.argv.includes('--demo-shop') });
  await ensureFirstAdmin(database);
  // Loaded only now: some of the app's modules read their settings as they load (step-queue.module.ts
  // picks in-process or BullMQ), and a typo there must end in the one line loadSettings prints, not a
  // stack trace from the module loader.
  const { createApp } = await import('./api/create-app.js');
  const app = await createApp({ database, rulesDir, clock: systemClock, settings });
  // Only this machine unless HOST says otherwise (e.g. HOST=0.0.0.0 behind a TLS proxy).
  const host = settings.HOST;
  await app.listen(settings.PORT, host).catch(async (e: { code?: string; message?: string }) => {
    await app.close().catch(() => undefined);
    throw new Error(listenProblem(e, host, settings.PORT));
  });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  app.get(Logger).log(`Rekindle is running: http://${shown}:${port}  (listening on ${host}; database: ${shownDatabaseUrl(database.url)}, rules: ${rulesDir}; ${await steppingLine(app, settings.REKINDLE_STEP_QUEUE)})`, 'Rekindle');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * Where the server's journeys are stepped. With workers it names the queue and the shop, as
 * `rekindle worker` and `rekindle scheduler` do when they start: a worker on another prefix waits
 * for jobs that never come, one on another database is stopped at its first job, and the start-up
 * lines side by side are where an operator sees which.
 */
async function steppingLine(app: { get<T>(type: (new (...a: never[]) => T) | symbol): T }, mode: 'in-process' | 'bullmq'): Promise<string> {
  // Said in full in its own line just before (core.module.ts): here only that nothing steps.
  if (app.get<SimulationCopyHold | null>(SIMULATION_COPY)) return 'nothing stepped or sent: a simulation\'s copy';
  if (mode !== 'bullmq') return 'stepping in this process';
  const s = queueSettings();
  const shop = await shopIdOf(app.get(DataSource));
  return `shop ${shortShopId(shop)}, stepping by workers on queue ${s.prefix}:${s.name} (${s.backend === 'redis' ? `Redis ${safeUrl(s.redisUrl)}` : 'PostgreSQL, experimental backend'})`;
}

/** Why the server could not listen, naming the setting to change (Node says only "listen EADDRINUSE …"). */
function listenProblem(e: { code?: string; message?: string }, host: string, port: number): string {
  if (e.code === 'EADDRINUSE') return `cannot listen on ${host}:${port}: the port is in use by another program; stop it or set PORT to a free one`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `cannot listen on HOST=${host}: no such address on this machine; set HOST to 127.0.0.1, 0.0.0.0 or one of its own addresses`;
  if (e.code === 'EADDRNOTAVAIL') return `cannot listen on HOST=${host}: not an address of this machine; set HOST to 127.0.0.1, 0.0.0.0 or one of its own addresses`;
  if (e.code === 'EACCES') return `cannot listen on port ${port}: ports below 1024 need privileges; set PORT to 1024 or above (e.g. 3000)`;
  return `cannot listen on ${host}:${port}: ${e.message ?? String(e)}`;
}
