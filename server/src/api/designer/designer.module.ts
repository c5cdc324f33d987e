import { Module } from '@nestjs/common';
import { DesignerController } from './designer.controller.js';
import { DraftsController } from './drafts.controller.js';
import { HomeController } from './home.controller.js';
import { SimulationRuns } from './simulation-runs.js';

/** The designer's API (flow files, drafts, journeys home, live validation, counts, simulation, templates). */
@Module({ controllers: [DesignerController, DraftsController, HomeController], providers: [SimulationRuns] })
export class DesignerModule {}
