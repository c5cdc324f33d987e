import { FlowSchema } from '../../server/src/core/flow/schema.js';

/** The smallest journey with a step to queue: a signup starts it, one care e-mail, the end (the scale-out tests' due work). */
export const WELCOME_FLOW = FlowSchema.parse({
  id: 'welcome',
  name: 'welcome',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signup' }, next: 'hello' },
    { id: 'hello', type: 'send', channel: 'email', category: 'care', template: 'hi {{customer.name}}', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
