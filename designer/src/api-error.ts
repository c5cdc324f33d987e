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

