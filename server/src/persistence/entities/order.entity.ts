import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderItem, OrderStatus } from '../../core/data/model.js';
import { epochMs, numeric } from '../columns.js';

@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('uq_orders_external_id', { unique: true })
  @Column({ name: 'external_id', type: 'varchar', length: 128 })
  externalId: string;

  @Index('ix_orders_customer_id')
  @Column({ name: 'customer_id', type: 'integer' })
  customerId: number;

  @Column({ type: 'varchar', length: 16 }) status: OrderStatus;
  @Column({ type: 'double precision', transformer: numeric }) amount: number;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'paid_at', type: 'bigint', nullable: true, transformer: epochMs }) paidAt: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) promotion: string | null;
  @Column({ type: 'simple-json' }) items: OrderItem[];
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt: number;
}
