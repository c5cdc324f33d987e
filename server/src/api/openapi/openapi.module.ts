import { Module } from '@nestjs/common';
import { DocsController, OpenApiDocument } from './docs.controller.js';

/** OpenAPI document and the /api/docs page (create-app.ts attaches the app to OpenApiDocument). */
@Module({ controllers: [DocsController], providers: [OpenApiDocument], exports: [OpenApiDocument] })
export class OpenApiModule {}
