import type { Problem } from './model/types.js';

/**
 * What a failed call to the server's API throws: the status, the server's (English) message, the
 * flow problems it named, and the whole answer with its stable `code`, which the designer says in
 * words (model/error-words.ts). Apart from api.ts so that code without a browser (tests) can use it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: Problem[] = [],
    /** The whole answer (e.g. the `conflict` of a 409 on a draft save). */
    readonly body: Record<string, unknown> | null = null,
  ) {
    super(message);
  }

  /** The server's stable error code (`flow-has-problems`, `channel-outbox-only`…): what the designer says in words. */
  get code(): string | null {
    const inner = this.body && typeof this.body.message === 'object' && this.body.message ? (this.body.message as Record<string, unknown>) : this.body;
    return typeof inner?.code === 'string' ? inner.code : null;
  }
}


/**
 * The server did not answer at all (no connection, a dropped one, the server restarting): what
 * fetch's own TypeError becomes, so that it is told apart from a TypeError in the designer's code
 * (model/retried.ts asks again after the first, never after the second). Read by shape
 * (`noAnswer`) in model/, which imports nothing from the browser side.
 */
export class NoAnswer extends Error {
  readonly noAnswer = true;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
