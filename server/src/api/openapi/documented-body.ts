import type { ApiResponseOptions } from '@nestjs/swagger';
import { ApiResponse, deferredDecorator } from './deferred-swagger.js';
import { z } from 'zod';

/**
 * Documents a body that the handler validates itself (`@Body() body: unknown` + safeParse) from
 * the zod schema it validates with. `@Body({ schema })` would document it too, but also hand the
 * body to the global StandardSchemaValidationPipe, whose generic 400 would replace the route's own
 * answer that names the field (422 for a saved segment, `rejected[]` of events, …).
 */
export function DocumentedBody(schema: z.ZodType, description: string): MethodDecorator {
  // The JSON Schema is written when the document is built, not when the controller is defined.
  return deferredDecorator((swagger) => {
    const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>;
    return swagger.ApiBody({ description, required: true, schema: json });
  });
}

/** A documented answer with its JSON schema from zod (responses carry no validation, so the schema is only read). */
export function DocumentedResponse(status: number, description: string, schema?: z.ZodType): MethodDecorator {
  return ApiResponse({ status, description, ...(schema ? { standardSchema: schema } : {}) } as ApiResponseOptions);
}
