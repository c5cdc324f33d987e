/**
 * bench/import/parse-cost: the parser thread's work alone, in this thread, on the orders CSV that
 * bench:import writes (same generator, same seed): CSV → mapped, validated and staged rows
 * (`parseRows`, as the import's parser thread runs it), each block serialized as `postMessage`
 * clones it (v8.serialize, the structured-clone writer) and read back as the importing thread
 * does (v8.deserialize). Prints the CPU µs a row of each side. Load-independent enough for A/B
 * runs of the parsing code, and small enough for callgrind.
 *
 *   npm run build && node --max-semi-space-size=64 dist/bench/import/parse-cost.js [--orders 300000] [--repeat 3] [--quoted]
 *
 * `--quoted`: every field in double quotes, as a seller-center (Taobao) export writes them.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { parseRows } from '../../server/src/core/data/import/parsed-rows.js';
import { encodeBlock, decodeBlock } from '../../server/src/runtime/import-parse-thread-wire.js';
import { mulberry32 } from '../support/mulberry32.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const ORDERS = arg('orders', 300_000);
const CUSTOMERS = Math.max(1, Math.round(ORDERS / 5));
const REPEAT = arg('repeat', 3);
const QUOTED = process.argv.includes('--quoted');
const quoteAll = (line: string) => (QUOTED ? line.split(',').map((f) => `"${f}"`).join(',') : line);
const TZ = 'Asia/Shanghai';
const CATEGORIES = ['dress', 'tops', 'shoes', 'bags', 'beauty', 'kids', 'home', 'coat'];
const SEASONS = ['spring', 'summer', 'autumn', 'winter'];

// bench/import/run.ts's generator with its seed (11), so this parses the same file.
async function writeOrders(file: string): Promise<void> {
  const rnd = mulberry32(11);
  const base = Date.parse('2024-01-01T00:00:00Z');
  const out = createWriteStream(file);
  out.write(quoteAll('externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items') + '\n');
  for (let i = 0; i < ORDERS; i++) {
    const created = base + Math.floor(rnd() * 700 * 86_400_000);
    const paid = rnd() < 0.9;
    const cat = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)];
    const season = SEASONS[Math.floor(rnd() * 4)];
    const amount = (20 + Math.floor(rnd() * 500)).toFixed(2);
    const line = `o${i},c${Math.floor(rnd() * CUSTOMERS)},${paid ? 'paid' : 'created'},${amount},${created},${paid ? created + 600_000 : ''},${rnd() < 0.1 ? 'double11' : ''},sku-${i % 997}:${cat}:${season}:1:${amount}`;
    if (!out.write(quoteAll(line) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-parse-cost-'));
  try {
    const file = join(dir, 'orders.csv');
    await writeOrders(file);
    console.log(`orders.csv: ${ORDERS.toLocaleString('en')} orders${QUOTED ? ', every field quoted' : ''}; load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
    for (let r = 0; r < REPEAT; r++) {
      let parseCpu = 0;
      let readCpu = 0;
      let rows = 0;
      let bytes = 0;
      const t0 = cpu();
      let mark = t0;
      for await (const block of parseRows('orders', 'csv', createReadStream(file), { timezone: TZ, stageOrders: true })) {
        const wire = serialize(encodeBlock(block, true));
        bytes += wire.length;
        const now = cpu();
        parseCpu += now - mark;
        const back = decodeBlock(deserialize(wire));
        rows += back.length;
        mark = cpu();
        readCpu += mark - now;
      }
      console.log(`run ${r + 1}: ${rows.toLocaleString('en')} rows; parser side ${((parseCpu * 1e6) / rows).toFixed(2)} µs/row, importing side (read back) ${((readCpu * 1e6) / rows).toFixed(2)} µs/row, ${(bytes / rows).toFixed(0)} bytes/row cloned`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
