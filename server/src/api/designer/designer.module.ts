import { Module } from '@nestjs/common';
import { DesignerController } from './designer.controller.js';
import { SimulationRuns } from './simulation-runs.js';

/** The designer's API (flow files, live validation, counts, simulation, templates). */
@Module({ controllers: [DesignerController], providers: [SimulationRuns] })
export class DesignerModule {}
