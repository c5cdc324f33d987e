/**
 * Multi-listener token: the value is the (mutable) list of CustomerEventListeners told about newly
 * stored customer events. It starts empty; a module that wants events (the journey engine)
 * injects it and adds itself once, e.g.
 *
 *   constructor(@Inject(CUSTOMER_EVENT_LISTENERS) listeners: CustomerEventListener[]) { listeners.push(this); }
 *
 * Nest has no Angular-style `multi: true` providers, so the list itself is the provider.
 */
export const CUSTOMER_EVENT_LISTENERS = Symbol('CustomerEventListeners');
