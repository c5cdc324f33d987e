import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { ImportReport } from '../../core/data/import/report.js';
import { IMPORT_KINDS, type ImportKind } from '../../core/data/import/row-mapper.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../core/data/import/row-reader.js';
import type { Workspace } from '../../config/workspace.js';
import { importRows } from '../../persistence/importer.js';
import { csvSyntaxError } from '../../core/data/import/csv-syntax.js';
import { EventsService } from '../events/events.service.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { Allow } from '../auth/allow.decorator.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';

const CONTENT_TYPES: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson', 'application/ndjson': 'ndjson', 'application/jsonl': 'ndjson' };

/**
 * `POST /api/import/{customers,orders,events}` with a text/csv or application/x-ndjson body
 * (or `?format=csv|ndjson` with text/plain). Answers with the same report as `rekindle import`:
 * 200 even when some rows failed (they are listed in `errors` with line and field).
 */
@Controller('import')
@Allow('admin', 'import:write')
export class ImportsController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(EventsService) private readonly events: EventsService,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {}

  @Post(':kind')
  @HttpCode(200)
  async import(@Param('kind') kind: string, @Query('format') formatParam: string | undefined, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Caller() caller: Principal): Promise<ImportReport> {
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new BadRequestException(`kind: expected one of ${IMPORT_KINDS.join(', ')}, got "${kind}"`);
    const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (formatParam !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(formatParam)) throw new BadRequestException(`format: expected csv or ndjson, got "${formatParam}"`);
    const format = (formatParam as ImportFormat | undefined) ?? CONTENT_TYPES[mime];
    if (!format) throw new BadRequestException(`format: send Content-Type text/csv or application/x-ndjson, or add ?format=csv|ndjson (got "${mime || 'none'}")`);
    if (typeof body !== 'string') throw new BadRequestException(`body: expected the file as text (Content-Type text/csv, application/x-ndjson or text/plain), got "${mime || 'none'}"`);
    if (format === 'csv') {
      // Refuse a file that cannot be parsed before any row is committed.
      const bad = await csvSyntaxError([body]);
      if (bad) throw new BadRequestException(`${kind}.csv line ${bad.line}: ${bad.message}; nothing was imported`);
    }
    const report = await importRows(this.ds, {
      kind: kind as ImportKind,
      format,
      source: [body],
      file: `${kind}.${format}`,
      timezone: this.workspace.shop.timezone,
      clock: this.clock,
      listeners: [{ onEvents: (e) => this.events.notify(e) }],
    });
    await this.audit.record({ actor: caller.name, action: 'imported', target: `import:${kind}`, detail: { format, rows: report.rows, created: report.created, updated: report.updated, failed: report.failed } });
    return report;
  }
}
