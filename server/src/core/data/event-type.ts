import { z } from 'zod';
import { checkIdText } from './input-limits.js';

/** Longest event type POST /api/events and the import store (the log's `type`). */
export const MAX_EVENT_TYPE_LENGTH = 64;

/**
 * What an event type may be, the one definition for the intake (POST /api/events, imports:
 * data/model.ts) and for the shop's declarations in rules/shop.yaml (data/event-declarations.ts):
 * any text of 1 to 64 characters without control characters, trimmed — `wechat_reply`,
 * `WeChatReply` and `微信回复` alike. A declaration must accept every type the intake stores, or a
 * shop told to declare the type it sends could not.
 */
export const EventTypeSchema = z
  .string()
  .trim()
  .min(1, { error: 'an event type is not empty' })
  .max(MAX_EVENT_TYPE_LENGTH, { error: `an event type is at most ${MAX_EVENT_TYPE_LENGTH} characters` })
  .superRefine((v, ctx) => {
    const bad = checkIdText(v);
    if (bad) ctx.addIssue({ code: 'custom', message: `an event type ${bad}` });
  });
