import { Module } from '@nestjs/common';
import { DesignerController } from './designer.controller.js';

/** The designer's API (flow files, live validation, counts, simulation, templates). */
@Module({ controllers: [DesignerController] })
export class DesignerModule {}
