import { Module } from '@nestjs/common';
import { SegmentsController } from './segments.controller.js';

/** GET /api/segments, POST /api/segments (save an audience), GET /api/segments/:name/count, POST /api/segments/preview. */
@Module({ controllers: [SegmentsController] })
export class SegmentsModule {}
