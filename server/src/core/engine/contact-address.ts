import type { Channel, Customer } from '../data/model.js';

/** Where a channel reaches a customer; null when the customer has no such address. */
export function contactAddress(channel: Channel, c: Customer): string | null {
  switch (channel) {
    case 'sms':
      return c.phone;
    case 'email':
      return c.email;
    case 'wechat':
      return c.wechatId;
    case 'wangwang':
      return c.externalId; // the Taobao buyer nick is the shop's customer id
    case 'push':
      return c.device === 'mobile' ? c.externalId : null;
  }
}
