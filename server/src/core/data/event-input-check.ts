import type { EventInput } from './model.js';
import { checkIdText, checkInstantRange, checkInstantText, checkJsonTextSize, MAX_ID_LENGTH } from './input-limits.js';
import { utcIsoInstant } from './utc-iso-instant.js';

/**
 * EventInputSchema's checks written out by hand, for the common case of a well-formed event:
 * zod's generic machinery (issue lists, unions, pipes, transforms) cost more than the checks
 * themselves — a visible share of every event posted. This only ever ACCEPTS: it returns the
 * value zod would return, or undefined whenever anything is off (or unusual), and the caller
 * then runs the zod schema, which stays the one definition and writes every error message.
 * tests/unit/event-input-check.test.ts pins that whatever this accepts, zod accepts alike.
 */
export function acceptEventInput(raw: unknown, timezone: string): EventInput | undefined {
  return acceptEventInputWithText(raw, timezone)?.input;
}

/**
 * acceptEventInput, with the properties' JSON text its size check made: the text the event is
 * stored with, so a stored event's properties are serialised once, not twice (size check, insert).
 */
export function acceptEventInputWithText(raw: unknown, timezone: string): { input: EventInput; propertiesJson: string } | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const r = raw as Record<string, unknown>;
  const customerExternalId = idText(r.customerExternalId, MAX_ID_LENGTH);
  const type = idText(r.type, Math.min(MAX_ID_LENGTH, 64));
  const idempotencyKey = idText(r.idempotencyKey, 200);
  if (customerExternalId === undefined || type === undefined || idempotencyKey === undefined) return undefined;
  const occurredAt = instant(r.occurredAt, timezone);
  if (occurredAt === undefined) return undefined;
  let properties = r.properties;
  if (properties === undefined) properties = {};
  else if (properties === null || typeof properties !== 'object' || Array.isArray(properties) || Object.getPrototypeOf(properties) !== Object.prototype || Object.hasOwn(properties, '__proto__')) return undefined;
  let propertiesJson: string;
  try {
    propertiesJson = JSON.stringify(properties);
  } catch {
    return undefined; // not JSON (zod's verdict: checkJsonSize's message)
  }
  if (checkJsonTextSize(propertiesJson) !== null) return undefined;
  // zod's object drops unknown keys: so does this.
  return { input: { customerExternalId, type, properties: properties as Record<string, unknown>, occurredAt, idempotencyKey }, propertiesJson };
}

/** z.string().trim().min(1).max(max) plus checkIdText. */
function idText(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s.length < 1 || s.length > max || checkIdText(s) !== null) return undefined;
  return s;
}

/** The `instant` schema: ISO-8601 text of a real calendar date (offset-less = shop time), or finite epoch milliseconds, within range. */
function instant(v: unknown, timezone: string): number | undefined {
  let ms: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    ms = v;
  } else if (typeof v === 'string') {
    // toISOString's form read digit by digit (most feeds); anything else by the general reader.
    const fast = utcIsoInstant(v);
    if (fast !== null) return checkInstantRange(fast) === null ? fast : undefined;
    const r = checkInstantText(v, timezone);
    if ('error' in r) return undefined;
    ms = r.ms;
  } else return undefined;
  return checkInstantRange(ms) === null ? ms : undefined;
}
