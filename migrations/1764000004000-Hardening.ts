import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** Every table so far: new tables made after this migration convert themselves the same way. */
const TABLES = [
  'users',
  'sessions',
  'audit_events',
  'audit_chain_head',
  'devices',
  'client_tokens',
  'client_token_retired_secrets',
  'long_lived_tokens',
  'oauth_clients',
  'device_authorizations',
];

/**
 * - utf8mb4 on MySQL/MariaDB whatever the server's default: on a latin1 server the tables
 *   were latin1 and an emoji in a device name was a 500.
 * - Device authorizations remember how their client authenticated (confidential clients)
 *   and count replays of a consumed code, so a replay storm writes one audit event.
 * - Registered OAuth clients may hold a secret (confidential clients).
 */
export class Hardening1764000004000 implements MigrationInterface {
  name = 'Hardening1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'better-sqlite3') {
      // Foreign keys join varchar columns across tables, and MariaDB will not convert a column
      // a foreign key uses: drop them, convert every table, put them back.
      // dropForeignKeys removes each key from the Table it is given: keep copies to restore.
      const tables = await queryRunner.getTables(TABLES);
      const keys = tables.map((table) => table.foreignKeys.map((key) => key.clone()));
      for (const table of tables) await queryRunner.dropForeignKeys(table, [...table.foreignKeys]);
      for (const table of TABLES) {
        await queryRunner.query(
          `ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        );
      }
      for (const [i, table] of tables.entries()) {
        await queryRunner.createForeignKeys(table, keys[i]);
      }
    }
    await queryRunner.addColumns('device_authorizations', [
      new TableColumn({
        name: 'client_auth_method',
        type: 'varchar',
        length: '32',
        isNullable: true,
      }),
      new TableColumn({ name: 'replay_count', type: 'integer', default: 0 }),
      new TableColumn({ name: 'replays_audited', type: 'integer', default: 0 }),
      new TableColumn({ name: 'replay_audited_at', type: 'datetime', isNullable: true }),
    ]);
    await queryRunner.addColumns('oauth_clients', [
      new TableColumn({ name: 'secret_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'secret_prefix', type: 'varchar', length: '16', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('oauth_clients', ['secret_hash', 'secret_prefix']);
    await queryRunner.dropColumns('device_authorizations', [
      'client_auth_method',
      'replay_count',
      'replays_audited',
      'replay_audited_at',
    ]);
  }
}
