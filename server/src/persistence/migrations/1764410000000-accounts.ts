import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Accounts (issue 11): users with a role, their sign-in sessions and API tokens (both kept only
 * as SHA-256 hashes of high-entropy random values), and the audit log of who changed what.
 */
export class Accounts1764410000000 implements MigrationInterface {
  name = 'Accounts1764410000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const str = (name: string, length = 64) => ({ name, type: 'varchar', length: String(length) });
    const bigint = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { ...str('username'), isUnique: true },
          { name: 'password_hash', type: 'text' },
          str('role', 16),
          { name: 'contacts_visible', type: 'boolean', default: pg ? 'false' : '0' },
          bigint('created_at'),
          bigint('password_changed_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { ...str('id_hash'), isPrimary: true },
          { name: 'user_id', type: 'integer' },
          bigint('created_at'),
          bigint('expires_at'),
          bigint('last_seen_at'),
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [{ columnNames: ['user_id'] }, { columnNames: ['expires_at'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          { ...str('name', 128), isUnique: true },
          { ...str('token_hash'), isUnique: true },
          { name: 'scopes', type: 'text' },
          str('created_by', 64),
          bigint('created_at'),
          bigint('last_used_at', true),
          bigint('expires_at', true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [id, bigint('at'), str('actor', 160), str('action', 64), str('target', 256), { name: 'detail', type: 'text' }],
      }),
    );
    await q.createIndex('audit_log', new TableIndex({ columnNames: ['at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('audit_log');
    await q.dropTable('api_tokens');
    await q.dropTable('sessions');
    await q.dropTable('users');
  }
}
