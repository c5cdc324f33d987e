import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, numeric } from '../columns.js';

/**
 * One row per live customer (a customer in the recycle bin has none), kept current as orders and
 * customer changes arrive. Segment SQL reads only this table; see core/facts/stored-facts.ts.
 * Lists are "|a|b|" text (see columns.ts).
 */
@Entity('customer_facts')
export class CustomerFactsEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'integer' }) customerId: number;
  @Column({ name: 'order_count', type: 'integer' }) orderCount: number;
  @Column({ name: 'total_spent', type: 'double precision', transformer: numeric }) totalSpent: number;
  @Column({ name: 'first_order_at', type: 'bigint', nullable: true, transformer: epochMs }) firstOrderAt: number | null;
  @Column({ name: 'last_order_at', type: 'bigint', nullable: true, transformer: epochMs }) lastOrderAt: number | null;
  @Column({ name: 'unpaid_order_count', type: 'integer' }) unpaidOrderCount: number;
  @Column({ name: 'last_unpaid_at', type: 'bigint', nullable: true, transformer: epochMs }) lastUnpaidAt: number | null;
  @Column({ type: 'text' }) categories: string;
  @Column({ name: 'category_seasons', type: 'text' }) categorySeasons: string;
  @Column({ name: 'double11_years', type: 'text' }) double11Years: string;
  @Column({ name: 'double11_order_count', type: 'integer', default: 0 }) double11OrderCount: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) province: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) city: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) device: string | null;
  @Column({ type: 'text' }) tags: string;
  @Column({ name: 'consent_sms', type: 'boolean', nullable: true }) consentSms: boolean | null;
  @Column({ name: 'consent_email', type: 'boolean', nullable: true }) consentEmail: boolean | null;
  @Column({ name: 'consent_wechat', type: 'boolean', nullable: true }) consentWechat: boolean | null;
  @Column({ name: 'consent_wangwang', type: 'boolean', nullable: true }) consentWangwang: boolean | null;
  @Column({ name: 'consent_push', type: 'boolean', nullable: true }) consentPush: boolean | null;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt: number;
}
