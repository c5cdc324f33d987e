import type { Command } from 'commander';
import { registerAnalyse } from './analyse.js';
import { registerAudit } from './audit.js';
import { registerBackup } from './backup.js';
import { registerCustomers } from './customers.js';
import { registerExplain } from './explain.js';
import { registerExport } from './export.js';
import { registerFlows } from './flows.js';
import { registerImport } from './import.js';
import { registerLists } from './lists.js';
import { registerOpenApi } from './openapi.js';
import { registerPrune } from './prune.js';
import { registerReport } from './report.js';
import { registerSchema } from './schema.js';
import { registerSeed } from './seed.js';
import { registerSegment } from './segment.js';
import { registerSimulate } from './simulate.js';
import { registerUsers } from './users.js';
import { registerValidate } from './validate.js';
import { registerScheduler } from './scheduler.js';
import { registerWorker } from './worker.js';

/** Each command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command) => void;

/** In the order `rekindle --help` lists them: data, rules, journeys. */
export const COMMANDS: RegisterCommand[] = [
  registerSeed,
  registerImport,
  registerExport,
  registerCustomers,
  registerLists,
  registerSegment,
  registerAnalyse,
  registerValidate,
  registerSchema,
  registerOpenApi,
  registerFlows,
  registerSimulate,
  registerExplain,
  registerReport,
  registerUsers,
  registerAudit,
  registerPrune,
  registerBackup,
  registerScheduler,
  registerWorker,
];
