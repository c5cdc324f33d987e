import type * as Swagger from '@nestjs/swagger';
import type { ApiBodyOptions, ApiResponseOptions } from '@nestjs/swagger';

type SwaggerApi = typeof Swagger;

/**
 * @nestjs/swagger's decorators, recorded when a controller class is defined and applied when the
 * OpenAPI document is first built (openapi-document.ts, on the first /api/docs/openapi.json or in
 * `rekindle openapi`). Loading @nestjs/swagger (and the ~430 modules of es-toolkit it imports) was
 * ~0.2 s of every server start and of every test that builds the app; nothing but the document
 * reads what these decorators write. They are applied in the order they were recorded, each to the
 * same class, method and descriptor, so the metadata is what they would have written at once.
 */
const pending: ((swagger: SwaggerApi) => void)[] = [];
let swaggerModule: Promise<SwaggerApi> | null = null;

export function deferredDecorator(decorate: (swagger: SwaggerApi) => MethodDecorator): MethodDecorator {
  return (target, key, descriptor) => {
    pending.push((swagger) => decorate(swagger)(target, key, descriptor));
  };
}

/** @nestjs/swagger, with every decorator recorded so far applied. */
export async function loadSwagger(): Promise<SwaggerApi> {
  const swagger = await (swaggerModule ??= import('@nestjs/swagger'));
  for (const apply of pending.splice(0)) apply(swagger);
  return swagger;
}

export const ApiResponse = (options: ApiResponseOptions) => deferredDecorator((s) => s.ApiResponse(options));
export const ApiOkResponse = (options: ApiResponseOptions) => deferredDecorator((s) => s.ApiOkResponse(options));
export const ApiServiceUnavailableResponse = (options: ApiResponseOptions) => deferredDecorator((s) => s.ApiServiceUnavailableResponse(options));
export const ApiBody = (options: ApiBodyOptions) => deferredDecorator((s) => s.ApiBody(options));
export const ApiConsumes = (...mimeTypes: string[]) => deferredDecorator((s) => s.ApiConsumes(...mimeTypes));
/**
 * An optional query parameter: without it @nestjs/swagger documents a named @Query('x') as
 * required, and a generated client then refuses to call GET /api/analysis/rfm without ?at=.
 */
export const OptionalQuery = (name: string, description: string) => deferredDecorator((s) => s.ApiQuery({ name, required: false, type: String, description }));
