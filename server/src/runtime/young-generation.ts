/**
 * V8's young generation for code that steps journeys (the engine thread, `rekindle worker`,
 * `rekindle simulate`, the benches that run the engine in-process) and for bulk imports
 * (`rekindle import`: 68.9 → 53.9 µs CPU an order with it in one A/B pair, bench/README.md).
 *
 * Why: stepping allocates a batch's worth of short-lived objects (rows read, enrollment copies,
 * SQL parameters, log rows) that stay alive until the batch commits. With V8's default 16 MB
 * semi-space a scavenge runs every few batches and copies the batch in flight each time, and
 * GC was the largest single item of a Double-11 simulation's profile (~20% of its CPU). With a
 * 64 MB semi-space most of a batch is dead before the next scavenge: bench:engine's CPU a step
 * fell 18–33% in A/B runs on a loaded machine and 6–29% on a quiet one, inside the bench's
 * run-to-run spread (bench/README.md, engine). The price
 * is memory: the young generation of that thread grows to ~200 MB at most (three semi-spaces:
 * two for copying plus V8's new large-object space of the same size), only when it allocates.
 */
export const STEPPING_SEMI_SPACE_MB = 64;

/** The node flag for processes that step journeys in their main thread (`npm run rekindle`, workers, benches). */
export const STEPPING_NODE_FLAG = `--max-semi-space-size=${STEPPING_SEMI_SPACE_MB}`;

/**
 * worker_threads' resourceLimits for a thread that steps journeys. V8 sizes the young generation
 * as three semi-spaces (two copying halves and the new large-object space), which is what
 * `maxYoungGenerationSizeMb` sets: 192 gives the same new space as `--max-semi-space-size=64`.
 */
export const STEPPING_THREAD_LIMITS = { maxYoungGenerationSizeMb: 3 * STEPPING_SEMI_SPACE_MB } as const;
