import { Module } from '@nestjs/common';
import { AnalysisController } from './analysis.controller.js';

/** GET /api/analysis/lifecycle and /api/analysis/rfm. */
@Module({ controllers: [AnalysisController] })
export class AnalysisModule {}
