import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Audit events are committed with their change into `audit_pending`, without the chain
 * head's lock, and sealed into `audit_events` in order by one sealer at a time: audited
 * writes no longer queue behind each other's commits (docs/ARCHITECTURE.md, "Audit").
 */
export class AuditSealer1764000007000 implements MigrationInterface {
  name = 'AuditSealer1764000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_pending',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'created_at', type: 'datetime' },
          { name: 'actor_user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'actor_username', type: 'varchar', length: '64', isNullable: true },
          { name: 'actor_token_kind', type: 'varchar', length: '16', isNullable: true },
          { name: 'actor_token_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'actor_device_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target_type', type: 'varchar', length: '32', isNullable: true },
          { name: 'target_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '255', isNullable: true },
          { name: 'details', type: 'text', isNullable: true },
          { name: 'mac', type: 'varchar', length: '64' },
        ],
      }),
    );
    if (queryRunner.connection.options.type !== 'better-sqlite3') {
      // Whatever the server's default (see Hardening1764000004000).
      await queryRunner.query(
        'ALTER TABLE `audit_pending` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_pending');
  }
}
