import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * Every error answer has `statusCode`, `error` and `message`, whatever else it carries (a `code`
 * the designer says in words, `problems`, a `conflict`). Nest adds the first two only when an
 * exception is given its message as a string; one given an object answered that object alone:
 * 403 password-change-required, 409 flow-exists, 422 flow-has-problems, the policy's 400 came
 * without `statusCode`, so a client reading it for the status found none.
 */
export function errorBody(e: HttpException): Record<string, unknown> {
  const status = e.getStatus();
  const r = e.getResponse();
  const body = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : { message: r };
  if ('statusCode' in body && 'error' in body) return body;
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', ...body };
}

/** Answers each HttpException with errorBody (Nest's own filter does the rest: other errors, logging). */
@Catch(HttpException)
export class ErrorBodyFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    const r = exception.getResponse();
    if (typeof r !== 'object' || r === null || ('statusCode' in r && 'error' in r)) return super.catch(exception, host);
    super.catch(new HttpException(errorBody(exception), exception.getStatus(), { cause: exception }), host);
  }
}
