import { Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { maskEmail, maskPhone, type Principal } from '../../core/access/roles.js';

/**
 * Analysts read customers and reports with phone numbers, e-mail addresses and WeChat ids masked
 * (`139****5678`, `l***@example.com`) unless their account is granted contacts. Applied to every
 * JSON answer, so a new endpoint that returns customers cannot leak them by forgetting a call.
 * Streamed exports bypass it: the customer export is only open to roles that see contacts, and the
 * send log masks an analyst's copy itself (core/access/send-log-view.ts).
 */
const MASKERS: Record<string, (v: string) => string | null | undefined> = {
  phone: maskPhone,
  email: maskEmail,
  wechatId: (v) => (v ? `${v.slice(0, 2)}***` : v),
  wechat_id: (v) => (v ? `${v.slice(0, 2)}***` : v),
};

export function maskContacts(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskContacts(v, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const mask = Object.hasOwn(MASKERS, k) ? MASKERS[k] : undefined;
    out[k] = mask && typeof v === 'string' ? mask(v) : maskContacts(v, depth + 1);
  }
  return out;
}

@Injectable()
export class ContactMaskInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = ctx.getType() === 'http' ? ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal : undefined;
    if (!principal || principal.contactsVisible) return next.handle();
    return next.handle().pipe(map((body) => (body instanceof StreamableFile || typeof body !== 'object' ? body : maskContacts(body))));
  }
}
