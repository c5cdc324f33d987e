import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller.js';
import { OrdersController } from './orders.controller.js';
import { TaobaoImportController } from './taobao-import.controller.js';

/** Data coming in: file imports and single orders (events go through the global EventsModule). */
// TaobaoImportController before ImportsController: its import/taobao is matched before import/:kind.
@Module({ controllers: [TaobaoImportController, ImportsController, OrdersController] })
export class ImportsModule {}
