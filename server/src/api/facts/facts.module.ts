import { Module } from '@nestjs/common';
import { FactsController } from './facts.controller.js';

/** GET /api/facts: the fact catalogue for the designer. */
@Module({ controllers: [FactsController] })
export class FactsModule {}
