import { ApiBody, ApiConsumes } from '../openapi/deferred-swagger.js';
import { DocumentedResponse } from '../openapi/documented-body.js';
import { BadRequestException, Controller, Headers, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { ImportReport } from '../../core/data/import/report.js';
import { IMPORT_KINDS, type ImportKind } from '../../core/data/import/row-mapper.js';
import { IMPORT_FORMATS, type ByteSource, type ImportFormat } from '../../core/data/import/row-reader.js';
import type { Workspace } from '../../config/workspace.js';
import { importRows, LIVE_BATCH_SIZE } from '../../persistence/importer.js';
import { threadRowParser } from '../../runtime/import-parser.js';
import { ImportColumnError } from '../../core/data/import/column-check.js';
import { csvSyntaxError } from '../../core/data/import/csv-syntax.js';
import { detectFileEncoding, EncodingError, readDecoded } from '../../core/data/import/text-encoding.js';
import { spoolUpload } from './upload-spool.js';
import { EventsService } from '../events/events.service.js';
import { clientIdOf } from '../events/event-request.js';
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
 * The body is streamed from the socket (no body parser runs for these routes, see create-app.ts)
 * into a private temp file, checked whole, then imported from it: memory holds one batch of rows,
 * whatever the size of the upload (up to MAX_IMPORT_BYTES).
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
  @ApiConsumes('text/csv', 'application/x-ndjson', 'text/plain')
  @ApiBody({ required: true, description: 'The file as sent: CSV with a header row, or NDJSON (one JSON object a line); the columns and fields of docs/data-import.md. Content-Type text/csv or application/x-ndjson, or ?format=csv|ndjson with text/plain.', schema: { type: 'string' } })
  @DocumentedResponse(200, 'The import report: rows, created, updated, unchanged, failed and `errors` (line, field, message) of the rows not imported')
  @DocumentedResponse(400, 'Unknown kind or format, a wrong Content-Type, or a file that cannot be read (header, encoding): nothing was imported')
  async import(@Param('kind') kind: string, @Query('format') formatParam: string | undefined, @Headers('content-type') contentType: string | undefined, @Req() req: Readable & { body?: unknown }, @Caller() caller: Principal): Promise<ImportReport> {
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new BadRequestException(`kind: expected one of ${IMPORT_KINDS.join(', ')}, got "${kind}"`);
    const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (formatParam !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(formatParam)) throw new BadRequestException(`format: expected csv or ndjson, got "${formatParam}"`);
    const format = (formatParam as ImportFormat | undefined) ?? CONTENT_TYPES[mime];
    if (!format) throw new BadRequestException(`format: send Content-Type text/csv or application/x-ndjson, or add ?format=csv|ndjson (got "${mime || 'none'}")`);
    if (!['text/csv', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/plain'].includes(mime)) throw new BadRequestException(`body: expected the file as text (Content-Type text/csv, application/x-ndjson or text/plain), got "${mime || 'none'}"`);
    // The upload goes to a private temp file first (bounded memory and size), so a file that is
    // not UTF-8 or GBK, or a CSV that cannot be parsed, is refused before any row is committed.
    const spooled = typeof req.body === 'string' ? null : await spoolUpload(req);
    try {
      let source: ByteSource;
      if (spooled) {
        const charset = /charset=([^;]+)/i.exec(contentType ?? '')?.[1];
        let encoding;
        try {
          encoding = await detectFileEncoding(spooled.file, charset);
        } catch (e) {
          if (e instanceof EncodingError) throw new BadRequestException(`${kind}.${format}: ${e.message}; nothing was imported`);
          throw e;
        }
        source = readDecoded(spooled.file, encoding);
        if (format === 'csv') {
          const bad = await csvSyntaxError(readDecoded(spooled.file, encoding));
          if (bad) throw new BadRequestException(`${kind}.csv line ${bad.line}: ${bad.message}; nothing was imported`);
        }
      } else {
        source = [req.body as string];
        if (format === 'csv') {
          const bad = await csvSyntaxError(source as string[]);
          if (bad) throw new BadRequestException(`${kind}.csv line ${bad.line}: ${bad.message}; nothing was imported`);
        }
      }
      const bytes = spooled ? statSync(spooled.file).size : Buffer.byteLength(String(req.body));
      return await this.run(kind as ImportKind, format, source, caller, bytes);
    } catch (e) {
      // A required column missing (the message names the upload and suggests the close header).
      if (e instanceof ImportColumnError) throw new BadRequestException(e.message);
      throw e;
    } finally {
      spooled?.remove();
    }
  }

  private async run(kind: ImportKind, format: ImportFormat, source: ByteSource, caller: Principal, fileBytes: number): Promise<ImportReport> {
    const report = await importRows(this.ds, {
      kind,
      format,
      source,
      file: `${kind}.${format}`,
      timezone: this.workspace.shop.timezone,
      clock: this.clock,
      batchSize: LIVE_BATCH_SIZE,
      listeners: [{ onEvents: (e) => this.events.notify(e) }],
      // Parsing off the request thread too: the server's other requests wait less for it.
      parser: threadRowParser(LIVE_BATCH_SIZE) ?? undefined,
      // A large orders upload leaves the by-customer indexes out until its end: the server's
      // reads by customer are slower meanwhile (docs/data-import.md).
      fileBytes,
      // A token's event file shares its POST /api/events key namespace (docs/data-import.md).
      clientId: clientIdOf({ principal: caller }),
    });
    await this.audit.record({ actor: caller.name, action: 'imported', target: `import:${kind}`, detail: { format, rows: report.rows, created: report.created, updated: report.updated, failed: report.failed } });
    return report;
  }
}
