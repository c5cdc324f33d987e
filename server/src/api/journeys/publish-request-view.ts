import type { PublishRequest } from '../../persistence/publish-requests.js';

/** A publish request as the API lists it: without the journey itself (GET /api/publish-requests/:id has it). */
export function publishRequestView(r: PublishRequest) {
  const { flow: _flow, layout: _layout, ...rest } = r;
  return { ...rest, fromFile: r.flow === null };
}
