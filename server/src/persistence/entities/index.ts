import { CustomerEntity } from './customer.entity.js';
import { CustomerEventEntity } from './customer-event.entity.js';
import { CustomerFactsEntity } from './customer-facts.entity.js';
import { OrderEntity } from './order.entity.js';

export { CustomerEntity, CustomerEventEntity, CustomerFactsEntity, OrderEntity };

/** Every entity, in one list shared by the server, the CLI and the tests. */
export const ENTITIES = [CustomerEntity, OrderEntity, CustomerEventEntity, CustomerFactsEntity];
