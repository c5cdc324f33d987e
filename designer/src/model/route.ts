/**
 * Where the designer is, kept in the address (#/, #/flows/<id>, #/customers, #/policy) so a reload or a
 * shared link opens the same view and the same flow.
 */
export type Route = { view: 'home' } | { view: 'editor'; flowId: string } | { view: 'customers' } | { view: 'policy' };

const FLOW_ID = /^[a-z0-9][a-z0-9-]*$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [head, id] = path.split('/');
  if (head === 'flows' && id && FLOW_ID.test(decodeURIComponent(id))) return { view: 'editor', flowId: decodeURIComponent(id) };
  if (head === 'customers') return { view: 'customers' };
  if (head === 'policy') return { view: 'policy' };
  return { view: 'home' };
}

export function formatRoute(r: Route): string {
  if (r.view === 'editor') return `#/flows/${encodeURIComponent(r.flowId)}`;
  if (r.view === 'customers') return '#/customers';
  if (r.view === 'policy') return '#/policy';
  return '#/';
}
