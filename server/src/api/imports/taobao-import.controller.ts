import { BadRequestException, Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Principal } from '../../core/access/roles.js';
import type { Workspace } from '../../config/workspace.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { importTaobaoExport, ShopFileError } from '../../persistence/shop-file-import.js';
import { Allow } from '../auth/allow.decorator.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { EventsService } from '../events/events.service.js';
import { ApiBody, ApiConsumes } from '../openapi/deferred-swagger.js';
import { DocumentedResponse } from '../openapi/documented-body.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { spoolUpload } from './upload-spool.js';

/** What a browser or curl sends a seller-center .csv as (Excel on Windows names it vnd.ms-excel). */
const FILE_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel'];

/**
 * `POST /api/import/taobao`: a Taobao/Tmall seller-center order export as downloaded (GBK/GB18030
 * or UTF-8, detected), mapped to customers and orders as `rekindle import taobao` does
 * (docs/data-import.md). It was the CLI's only: a shop owner without a terminal could not bring
 * their shop in. The body is the file's bytes, spooled to a private temp file (bounded size), never
 * decoded by the server's body parsers. Rows the mapping refuses are listed with the line of the
 * file where their order starts; the rest is imported (200).
 */
@Controller('import')
@Allow('admin', 'import:write')
export class TaobaoImportController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(EventsService) private readonly events: EventsService,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {}

  @Post('taobao')
  @HttpCode(200)
  @ApiConsumes(...FILE_TYPES)
  @ApiBody({ required: true, description: 'The seller-center order export (.csv) as downloaded, GBK/GB18030 or UTF-8 bytes: 订单编号, 买家会员名, 买家实际支付金额, 订单状态, 订单创建时间 … (docs/data-import.md)', schema: { type: 'string', format: 'binary' } })
  @DocumentedResponse(200, 'encoding, the customers and orders import reports, `refused` (how many rows were not imported) and `errors` (line of the export, column, message: every issue of those rows, one row may have several)')
  @DocumentedResponse(400, 'Not a Taobao order export (the missing columns named), a file that cannot be read, or a wrong Content-Type: nothing was imported')
  async import(@Headers('content-type') contentType: string | undefined, @Req() req: Readable, @Caller() caller: Principal) {
    const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!FILE_TYPES.includes(mime)) throw new BadRequestException(`body: send the export file as it was downloaded (Content-Type text/csv or application/octet-stream), got "${mime || 'none'}"`);
    const spooled = await spoolUpload(req);
    try {
      const file = 'taobao.csv';
      let r;
      try {
        r = await importTaobaoExport(this.ds, readFileSync(spooled.file), { file, timezone: this.workspace.shop.timezone, clock: this.clock, listeners: [{ onEvents: (e) => this.events.notify(e) }] });
      } catch (e) {
        if (e instanceof ShopFileError) throw new BadRequestException(`${e.message}; nothing was imported`);
        throw e;
      }
      const errors = [...r.errors, ...r.customers.errors, ...r.orders.errors].sort((a, b) => a.line - b.line);
      // failed / refused: rows, each once; `errors` lists every issue, and a row may have several.
      await this.audit.record({ actor: caller.name, action: 'imported', target: 'import:taobao', detail: { customers: r.customers.rows, orders: r.orders.rows, failed: r.refused } });
      return { encoding: r.encoding ?? null, customers: r.customers, orders: r.orders, refused: r.refused, errors };
    } finally {
      spooled.remove();
    }
  }
}
