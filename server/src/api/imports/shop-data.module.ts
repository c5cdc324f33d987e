import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module.js';
import { EventsModule } from '../events/events.module.js';
import { ImportsModule } from './imports.module.js';

/** The shop's data in and out: imports, orders, events, customers, recycle bin, export. */
@Module({ imports: [EventsModule, ImportsModule, CustomersModule] })
export class ShopDataModule {}
