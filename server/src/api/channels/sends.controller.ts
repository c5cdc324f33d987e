import { BadRequestException, Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { SEND_LOG_CONTENT_TYPES, SEND_LOG_FORMATS, SEND_STATUSES, sendLogStream } from '../../persistence/send-log.js';
import { Allow } from '../auth/allow.decorator.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import type { Workspace } from '../../config/workspace.js';
import { WORKSPACE } from '../tokens.js';
import { FlowSchema } from '../../core/flow/schema.js';
import { ExcelFlag, excelOnlyForCsv } from '../excel-flag.js';
import { flowIdToRead } from '../../runtime/simulated-flow.js';
import { shopDay } from '../../core/shop-day.js';
import { sendLogViewFor, WITHHELD_MARK } from '../../core/access/send-log-view.js';
import { ApiResponse } from '../openapi/deferred-swagger.js';
import { PolicyFile } from '../../persistence/policy-file.js';

/** Names the columns an analyst's copy withholds (their cells read a mark) and those whose contacts are masked. */
export const WITHHELD_HEADER = 'X-Rekindle-Withheld';
export const MASKED_HEADER = 'X-Rekindle-Masked';

const SendsQuery = z.strictObject({
  flowId: z.string().min(1).optional(),
  /** The customer's external id. */
  customerId: z.string().min(1).optional(),
  status: z.enum(SEND_STATUSES).optional(),
  format: z.enum(SEND_LOG_FORMATS).default('csv'),
  excel: ExcelFlag,
  day: z.string().optional().describe("only sends scheduled on this day of the shop's calendar (YYYY-MM-DD, its time zone, rules/shop.yaml), as `rekindle export sends --day`"),
});

/**
 * `GET /api/sends?flowId=&customerId=&status=&day=&format=csv|ndjson[&excel=1]`: the send log, streamed.
 * CSV times are the shop's wall clock with its offset; `excel=1` writes the Excel variant
 * (core/text/excel-sheet.ts: Chinese headers, date-times Excel reads, ids as text). NDJSON times stay UTC ISO.
 * Analysts read it too, without the message text and with contacts masked unless granted
 * (core/access/send-log-view.ts); marketers and admins read it whole. Every download is audited.
 */
@Controller('sends')
@Allow('analyst')
export class SendsController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(AUDIT) private readonly audit: AuditLog,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
  ) {}

  @Get()
  @ApiResponse({
    status: 200,
    description:
      'The send log, streamed (CSV, or NDJSON with `format=ndjson`). Marketers and admins get every column. ' +
      `An analyst gets the message's subject and body withheld (CSV cells read \`${WITHHELD_MARK.csv}\`, the Excel variant's \`${WITHHELD_MARK.excel}\`; ` +
      'NDJSON gives null and names them in each row\'s `withheld`), granted contacts or not, and, without the contacts grant, ' +
      "phone numbers and e-mail addresses in `last_error` masked (`139****5678`, `l***@example.com`). The coupon code, customer id, times, status, reason and cost are kept.",
    headers: {
      [WITHHELD_HEADER]: { description: 'the columns withheld from this caller, comma-separated (absent: none)', schema: { type: 'string' } },
      [MASKED_HEADER]: { description: 'the columns whose phone numbers and e-mail addresses are masked for this caller (absent: none)', schema: { type: 'string' } },
    },
  })
  async export(@Query({ schema: SendsQuery }) q: z.infer<typeof SendsQuery>, @Res() res: Response, @Caller() caller: Principal): Promise<void> {
    excelOnlyForCsv(q.excel, q.format);
    const day = q.day === undefined ? {} : dayOrBadRequest(q.day, this.workspace.shop.timezone);
    const view = sendLogViewFor(caller);
    // An analyst's copy says in the audit entry what it left out, so the log tells a full download from a partial one.
    const shown = view ? { withheld: [...view.withheld], masked: [...view.masked] } : {};
    await this.audit.record({ actor: caller.name, action: 'exported', target: 'export:sends', detail: { format: q.format, flowId: q.flowId ?? null, customerId: q.customerId ?? null, status: q.status ?? null, day: q.day ?? null, ...shown } });
    res.setHeader('Content-Type', SEND_LOG_CONTENT_TYPES[q.format]);
    if (view?.withheld.length) res.setHeader(WITHHELD_HEADER, view.withheld.join(','));
    if (view?.masked.length) res.setHeader(MASKED_HEADER, view.masked.join(','));
    // One flow's log is named for it, so two downloads do not both save as sends.csv; only a well-formed
    // flow id (lower-case letters, digits and "-") goes into the header.
    const named = q.flowId && FlowSchema.shape.id.safeParse(q.flowId).success ? `${q.flowId}-` : '';
    res.setHeader('Content-Disposition', `attachment; filename="${named}sends.${q.format}"`);
    // On a server opened on a simulation's copy the flow's messages are its simulation's (`<id>~simulated`), as
    // the funnel, the experiment report and `rekindle export sends --flow` read them: by the flow's own id it
    // gave the header alone. A live database holds no simulated flow, so there the id is read as given.
    const flowId = q.flowId === undefined ? undefined : await flowIdToRead(this.ds, q.flowId);
    const stream = sendLogStream(this.ds, q.format, { flowId, customerExternalId: q.customerId, status: q.status, ...day }, { timezone: this.workspace.shop.timezone, excel: q.excel, listTitles: q.excel ? new PolicyFile(this.workspace.rulesDir).titledLists() : undefined }, view);
    // Headers are gone once rows flow: a failure mid-stream can only cut the response short.
    pipeline(stream, res, () => {});
  }
}

/** `day` as a range of the shop's calendar (core/shop-day.ts); a bad one is a 400 naming it. */
function dayOrBadRequest(text: string, timezone: string): { scheduledFrom: number; scheduledBefore: number } {
  try {
    return shopDay(text, 'day', timezone);
  } catch (e) {
    throw new BadRequestException((e as Error).message);
  }
}
