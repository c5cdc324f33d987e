import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller.js';
import { OrdersController } from './orders.controller.js';

/** Data coming in: file imports and single orders (events go through the global EventsModule). */
@Module({ controllers: [ImportsController, OrdersController] })
export class ImportsModule {}
