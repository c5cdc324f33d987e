import { Module } from '@nestjs/common';
import { SegmentsController } from './segments.controller.js';

/** GET /api/segments, GET /api/segments/:name/count, POST /api/segments/preview. */
@Module({ controllers: [SegmentsController] })
export class SegmentsModule {}
