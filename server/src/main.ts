import { systemClock } from './core/clock.js';
import { createApp } from './api/create-app.js';
import { resolveRulesDir } from './config/workspace.js';
import { resolveDatabaseTarget } from './persistence/data-source.js';
import { ensureDemoShop } from './startup/demo-shop.js';

/** `npm start`: the server on http://localhost:3000 over the embedded SQLite file. */
async function main() {
  const database = resolveDatabaseTarget();
  const rulesDir = resolveRulesDir();
  await ensureDemoShop(database, rulesDir);
  const app = await createApp({ database, rulesDir, clock: systemClock });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`Rekindle is running: http://localhost:${port}  (database: ${database.url}, rules: ${rulesDir})`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
