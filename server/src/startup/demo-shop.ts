import type { DatabaseTarget } from '../persistence/data-source.js';

/**
 * When the database is empty, generate the demo shop so a newcomer sees a living product.
 * TODO(issue 2): filled in with the demo-shop generator.
 */
export async function ensureDemoShop(_database: DatabaseTarget, _rulesDir: string): Promise<void> {}
