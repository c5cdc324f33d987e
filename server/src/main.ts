import { systemClock } from './core/clock.js';
import { createApp } from './api/create-app.js';
import { resolveRulesDir } from './config/workspace.js';
import { resolveDatabaseTarget } from './persistence/data-source.js';
import { ensureDemoShop } from './startup/demo-shop.js';
import { ensureFirstAdmin } from './startup/first-admin.js';

/** `npm start`: the server on http://127.0.0.1:3000 over the embedded SQLite file. */
async function main() {
  const database = resolveDatabaseTarget();
  const rulesDir = resolveRulesDir();
  await ensureDemoShop(database, rulesDir);
  await ensureFirstAdmin(database);
  const app = await createApp({ database, rulesDir, clock: systemClock });
  const port = Number(process.env.PORT ?? 3000);
  // Only this machine unless HOST says otherwise (e.g. HOST=0.0.0.0 behind a TLS proxy).
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  console.log(`Rekindle is running: http://${shown}:${port}  (listening on ${host}; database: ${database.url}, rules: ${rulesDir})`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
