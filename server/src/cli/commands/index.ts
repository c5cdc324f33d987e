import type { Command } from 'commander';

/** Each command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

import { registerAnalyse } from './analyse.js';
import { registerSeed } from './seed.js';
export const COMMANDS: RegisterCommand[] = [
  registerSeed,
  registerAnalyse,
];
