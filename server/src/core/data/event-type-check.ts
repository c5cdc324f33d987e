import { closestName } from '../text/closest-name.js';
import { SYSTEM_EVENTS } from './system-events.js';

/** An event type of a request that neither the system records nor rules/shop.yaml declares, with where it occurs. */
export interface UnknownEventType {
  type: string;
  /** How many events of the request have it. */
  count: number;
  /** The first position in the request (0 for a single event). */
  firstIndex: number;
  /** The known type it is one slip away from (`order_creatd` → `order_created`), when there is one. */
  didYouMean?: string;
}

const KNOWN = Symbol('known');

/**
 * Sorts a request's event types into known (the system's own and those rules/shop.yaml declares)
 * and unknown ones, for the events API to report the unknown ones back (`unknownTypes`).
 *
 * Unknown types are stored, not refused. A shop may send its own events without declaring them
 * (flow/event-checks.ts only warns about an undeclared name in a flow), and "one slip away from a
 * known name" is not proof of a typo for data: `order_returned`, `order_reviewed`, `order_rated`
 * and `coupon_received` are each within a third of their letters of a system event. Refusing them
 * would silently drop a feed's real events; a typo, on the other hand, cannot drive a journey
 * unseen, since a flow naming `order_creatd` fails its checks with "did you mean". So the answer
 * names every unknown type with its near known name, and the server counts them (metrics) and
 * logs each new one once.
 */
export class EventTypeCheck {
  private readonly known: string[];
  private readonly seen = new Map<string, string | null | typeof KNOWN>();

  constructor(declared: Iterable<string>) {
    this.known = [...new Set([...SYSTEM_EVENTS, ...declared])];
    for (const k of this.known) this.seen.set(k, KNOWN);
  }

  /** The unknown types among `types` (a request's, in order; `indexes[i]` is the position of `types[i]`). */
  unknownOf(types: readonly string[], indexes: readonly number[]): UnknownEventType[] {
    let out: Map<string, UnknownEventType> | null = null;
    for (let i = 0; i < types.length; i++) {
      const near = this.nearOf(types[i]);
      if (near === KNOWN) continue;
      out ??= new Map();
      const u = out.get(types[i]);
      if (u) u.count++;
      else out.set(types[i], near ? { type: types[i], count: 1, firstIndex: indexes[i], didYouMean: near } : { type: types[i], count: 1, firstIndex: indexes[i] });
    }
    return out ? [...out.values()] : [];
  }

  private nearOf(type: string): string | null | typeof KNOWN {
    let v = this.seen.get(type);
    if (v === undefined) {
      v = closestName(type, this.known);
      // Bounded: a client inventing a new name per event must not grow this without end.
      if (this.seen.size < 10_000) this.seen.set(type, v);
    }
    return v;
  }
}
