/** Injection tokens for the ports the core is handed (it never imports NestJS itself). */
export const CLOCK = Symbol('Clock');
export const WORKSPACE = Symbol('Workspace');
export const SETTINGS = Symbol('Settings');
/** The server secret (config/server-secret.ts): keys the CSRF HMACs (and the channel providers' opaque message ids). */
export const SERVER_SECRET = Symbol('ServerSecret');
/** The AppOptions the app was created with (database target, schedulers on/off, clock). */
export const APP_OPTIONS = Symbol('AppOptions');
/** Long read-only SQL (segment scans) off the request thread: a SqlReader, or null (PostgreSQL, :memory:, tests). */
export const SQL_READER = Symbol('SqlReader');
/** The WAL checkpointer thread (runtime/wal-checkpointer.ts), or null (api/journeys/wal-checkpointer.provider.ts). */
export const WAL_CHECKPOINTER = Symbol('WalCheckpointer');
/** Parses and validates `POST /api/events` lists in a thread of its own (runtime/event-batch-parser.ts), or null (in-process). */
export const EVENT_BATCH_PARSER = Symbol('EventBatchParser');
/**
 * The database is a simulation's copy (runtime/simulation-copy-hold.ts): its hold, or null. Decided
 * once at start-up (core.module.ts); on it the ticker, the event intake's poll and nudges, the engine
 * thread and the outbox's schedule are not built (simulation-copy/live-only.ts), and the routes that
 * tick, dispatch or test-send answer 409 (simulation-copy/nothing-runs-on-a-copy.ts).
 */
export const SIMULATION_COPY = Symbol('SimulationCopy');
