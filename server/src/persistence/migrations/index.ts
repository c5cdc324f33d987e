import { Foundation1732300000000 } from './1732300000000-foundation.js';

/** Migrations in order. Listed as classes (not a glob) so they load the same from ts-jest and dist/. */
export const MIGRATIONS = [Foundation1732300000000];
