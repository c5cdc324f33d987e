import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from '../columns.js';

@Entity('customer_events')
@Index('ix_customer_events_customer_type', ['customerId', 'type', 'occurredAt'])
@Index('uq_customer_events_client_key', ['clientId', 'idempotencyKey'], { unique: true })
export class CustomerEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'customer_id', type: 'integer' }) customerId: number;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ type: 'simple-json' }) properties: Record<string, unknown>;
  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs }) occurredAt: number;

  /** Whose key it is: '' for the system's own (order events, clicks), else the API client's. */
  @Column({ name: 'client_id', type: 'varchar', length: 64, default: '' }) clientId: string;

  /** A repeated delivery of the same event carries the same key and is recorded once per client. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200 }) idempotencyKey: string;

  @Column({ name: 'received_at', type: 'bigint', transformer: epochMs }) receivedAt: number;
}
