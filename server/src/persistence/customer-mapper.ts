import type { Customer, Order } from '../core/data/model.js';
import type { CustomerEntity } from './entities/customer.entity.js';
import type { OrderEntity } from './entities/order.entity.js';

export function toCustomer(e: CustomerEntity): Customer {
  return {
    id: e.id,
    externalId: e.externalId,
    name: e.name,
    phone: e.phone,
    email: e.email,
    wechatId: e.wechatId,
    province: e.province,
    city: e.city,
    device: e.device,
    tags: e.tags ?? [],
    consent: e.consent ?? {},
    attributes: e.attributes ?? {},
  };
}

export function toOrder(e: OrderEntity): Order {
  return {
    id: e.id,
    externalId: e.externalId,
    customerId: e.customerId,
    status: e.status,
    amount: e.amount,
    createdAt: e.createdAt,
    paidAt: e.paidAt,
    promotion: e.promotion,
    items: e.items ?? [],
  };
}
