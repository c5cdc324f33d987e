import type { Command } from 'commander';

/** Each command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

import { registerAnalyse } from './analyse.js';
import { registerImport } from './import.js';
import { registerExport } from './export.js';
import { registerCustomers } from './customers.js';
import { registerValidate } from './validate.js';
import { registerSchema } from './schema.js';
import { registerSegment } from './segment.js';
export const COMMANDS: RegisterCommand[] = [
  registerSegment,
  registerImport, registerExport, registerCustomers,
  registerAnalyse,
  registerValidate,
  registerSchema,
];
