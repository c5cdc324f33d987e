import { DocumentedResponse } from '../openapi/documented-body.js';
import { BadRequestException, ConflictException, Controller, Delete, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { parseShopInstant } from '../../core/shop-instant.js';
import { computeStoredFacts } from '../../core/facts/stored-facts.js';
import { deriveFacts, type DeriveContext } from '../../core/facts/derive.js';
import type { Workspace } from '../../config/workspace.js';
import { customerExportCsv } from '../../persistence/customer-export.js';
import { eraseCustomer } from '../../persistence/customer-erase.js';
import { loadStoredFacts } from '../../persistence/fact-store.js';
import { findCustomer, listDeleted, restore, searchCustomers, softDelete } from '../../persistence/shop-repository.js';
import { writeTransaction } from '../../persistence/write-transaction.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { Allow } from '../auth/allow.decorator.js';
import type { Principal } from '../../core/access/roles.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { Caller } from '../auth/principal.decorator.js';
import { ExcelFlag } from '../excel-flag.js';
import { wholeNumberText } from '../validation/whole-number.js';

const PageQuery = z.object({
  limit: wholeNumberText(1, 1000).default(50),
  offset: wholeNumberText(0).default(0),
});
const SearchQuery = PageQuery.extend({ search: z.string().max(200).optional() });
const AtQuery = z.object({ at: z.string().optional() });
const ExportQuery = AtQuery.extend({ excel: ExcelFlag });

/**
 * Customers by their external id (the shop's own id): search, one customer with its facts now,
 * the recycle bin, and the CSV export with facts. Customers in the bin answer 404 until restored.
 */
@Controller()
export class CustomersController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {}

  private deriveContext(at?: string): DeriveContext {
    let instant = this.clock.now();
    if (at !== undefined) {
      try {
        instant = parseShopInstant(at, 'at', this.workspace.shop.timezone);
      } catch (e) {
        throw new BadRequestException((e as Error).message);
      }
    }
    return { at: instant, timezone: this.workspace.shop.timezone, lifecycle: this.workspace.shop.lifecycle };
  }

  private get writeContext() {
    return { now: this.clock.now(), timezone: this.workspace.shop.timezone };
  }

  @Get('customers')
  @Allow('analyst')
  @DocumentedResponse(200, '`{total, items}`: a page of live customers (`search` matches the external id, name, phone, e-mail or WeChat id). Phone, e-mail and WeChat id are masked for a caller who does not see contacts; a page that shows them unmasked is in the audit log (`contacts-listed`)')
  async search(@Query({ schema: SearchQuery }) q: z.infer<typeof SearchQuery>, @Caller() caller: Principal) {
    const page = await searchCustomers(this.ds.manager, q);
    await this.auditContacts(caller, 'customers:search', { search: q.search ?? null, offset: q.offset, pageSize: q.limit }, page.items.length);
    return page;
  }

  /**
   * A page of customers shown with their contacts unmasked, audited as an export is: read a page
   * at a time, the list gave every customer's phone and e-mail without a trace. One entry per
   * request (who, the search, where the page starts, how many rows); a masked page (an analyst
   * without the contact grant, ContactMaskInterceptor) and an empty one show no contact and are not recorded.
   */
  private async auditContacts(caller: Principal, list: 'customers:search' | 'customers:recycle-bin', query: Record<string, unknown>, rows: number): Promise<void> {
    if (!caller.contactsVisible || rows === 0) return;
    await this.audit.record({ actor: caller.name, action: 'contacts-listed', target: list, detail: { ...query, rows } });
  }

  @Get('customers/:id')
  @Allow('analyst')
  async get(@Param('id') id: string, @Query({ schema: AtQuery }) q: z.infer<typeof AtQuery>, @Caller() caller: Principal) {
    const ctx = this.deriveContext(q.at);
    const customer = await findCustomer(this.ds.manager, id);
    if (!customer) throw new NotFoundException(`customer "${id}" not found`);
    if (customer.erasedAt !== null) throw new NotFoundException(`customer "${id}" had their personal data erased at ${new Date(customer.erasedAt).toISOString()}`);
    if (customer.deletedAt !== null) throw new NotFoundException(`customer "${id}" is in the recycle bin (POST /api/recycle-bin/${encodeURIComponent(id)}/restore)`);
    const stored = (await loadStoredFacts(this.ds, customer.id)) ?? computeStoredFacts(customer, [], ctx.timezone);
    // One customer opened with contacts unmasked is in the audit log as a page of them is: ids listed
    // elsewhere (a segment's ids) and opened one by one would otherwise read every contact unseen.
    if (caller.contactsVisible) await this.audit.record({ actor: caller.name, action: 'contact-viewed', target: `customer:${customer.externalId}` });
    return { customer, facts: deriveFacts(stored, ctx), at: ctx.at };
  }

  @Delete('customers/:id')
  @Allow('admin')
  async remove(@Param('id') id: string, @Caller() caller: Principal) {
    const c = await writeTransaction(this.ds, (m) => softDelete(m, id, this.writeContext));
    if (!c) throw new NotFoundException(`customer "${id}" not found (or already in the recycle bin)`);
    await this.audit.record({ actor: caller.name, action: 'customer-deleted', target: `customer:${id}` });
    return c;
  }

  @Get('recycle-bin')
  @Allow('analyst')
  @DocumentedResponse(200, '`{total, items}`: a page of the customers in the recycle bin, contacts masked as in GET /api/customers; a page that shows them unmasked is in the audit log (`contacts-listed`)')
  async bin(@Query({ schema: PageQuery }) q: z.infer<typeof PageQuery>, @Caller() caller: Principal) {
    const page = await listDeleted(this.ds.manager, q);
    await this.auditContacts(caller, 'customers:recycle-bin', { offset: q.offset, pageSize: q.limit }, page.items.length);
    return page;
  }

  @Post('recycle-bin/:id/restore')
  @Allow('admin')
  @HttpCode(200)
  @DocumentedResponse(200, 'No body is read: brings the customer (external id) back from the recycle bin, facts recomputed; answers the customer')
  @DocumentedResponse(404, 'That customer is not in the recycle bin')
  async restore(@Param('id') id: string, @Caller() caller: Principal) {
    const c = await writeTransaction(this.ds, (m) => restore(m, id, this.writeContext));
    if (!c) throw new NotFoundException(`customer "${id}" is not in the recycle bin (or their personal data was erased: an erased customer cannot be restored)`);
    await this.audit.record({ actor: caller.name, action: 'customer-restored', target: `customer:${id}` });
    return c;
  }

  @Post('recycle-bin/:id/erase')
  @Allow('admin')
  @HttpCode(200)
  @DocumentedResponse(200, "No body is read: erases the personal data of the customer (external id) in the recycle bin at their request (PIPL): name, contacts, attributes, message texts and event texts; counts and reports are kept. Cannot be undone; audited")
  @DocumentedResponse(404, 'No customer has that external id')
  @DocumentedResponse(409, 'The customer is not in the recycle bin: move them there first')
  async erase(@Param('id') id: string, @Caller() caller: Principal) {
    const r = await eraseCustomer(this.ds, id, { now: this.clock.now(), actor: caller.name });
    if (r.kind === 'not-found') throw new NotFoundException(`customer "${id}" not found`);
    if (r.kind === 'not-in-bin') throw new ConflictException(`customer "${id}" is not in the recycle bin: move them there first (DELETE /api/customers/${encodeURIComponent(id)}), then erase`);
    return r;
  }

  @Get('export/customers.csv')
  @Allow('marketer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="customers.csv"')
  async exportCsv(@Query({ schema: ExportQuery }) q: z.infer<typeof ExportQuery>, @Caller() caller: Principal): Promise<StreamableFile> {
    const ctx = this.deriveContext(q.at);
    await this.audit.record({ actor: caller.name, action: 'exported', target: 'export:customers', detail: { at: new Date(ctx.at).toISOString() } });
    return new StreamableFile(customerExportCsv(this.ds, ctx, { excel: q.excel }));
  }
}
