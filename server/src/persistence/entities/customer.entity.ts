import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../columns.js';

@Entity('customers')
export class CustomerEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uq_customers_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 128 })
  externalId: string;

  @Column({ type: 'varchar', length: 200, nullable: true }) name: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) phone: string | null;
  @Column({ type: 'varchar', length: 320, nullable: true }) email: string | null;
  @Column({ name: 'wechat_id', type: 'varchar', length: 128, nullable: true }) wechatId: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) province: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) city: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) device: 'mobile' | 'pc' | null;
  @Column({ type: 'simple-json' }) tags: string[];
  @Column({ type: 'simple-json' }) consent: Record<string, boolean>;
  @Column({ type: 'simple-json' }) attributes: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt: number;
  /** Set when the customer is moved to the recycle bin; restore clears it. */
  @Index('ix_customers_deleted_at')
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: epochMs }) deletedAt: number | null;
  /** Set when the customer's personal data was erased (persistence/customer-erase.ts); never cleared. */
  @Column({ name: 'erased_at', type: 'bigint', nullable: true, transformer: epochMs }) erasedAt: number | null;
}
