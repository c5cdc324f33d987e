import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow } from './allow.decorator.js';
import { AUDIT } from './auth.tokens.js';
import { STORED_INTEGER_MAX } from '../stored-integer.js';

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().max(STORED_INTEGER_MAX).optional().describe('entries older than this id (paging)'),
  actor: z.string().max(160).optional(),
  action: z.string().max(64).optional(),
  target: z.string().max(256).optional(),
});

/** `GET /api/audit`: newest first; `?before=<id>` pages back. */
@Controller('audit')
@Allow('admin')
export class AuditController {
  constructor(@Inject(AUDIT) private readonly audit: AuditLog) {}

  @Get()
  async list(@Query({ schema: AuditQuery }) q: z.infer<typeof AuditQuery>) {
    return { entries: await this.audit.list(q) };
  }
}
