import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit log becomes readable and prunable:
 * - the chain head records where the kept log starts (`first_id`, and the hash the first
 *   kept event links to) and carries an AUDIT_KEY signature over both ends and the count,
 *   so truncating the log or resetting the head is caught without trusting the database
 *   (the service signs the head at its first start after this migration);
 * - indexes for the admin API's filters, newest first.
 */
export class AuditLog1764000005000 implements MigrationInterface {
  name = 'AuditLog1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('audit_chain_head', [
      new TableColumn({ name: 'first_id', type: 'integer', default: 1 }),
      new TableColumn({
        name: 'first_prev_hash',
        type: 'varchar',
        length: '64',
        default: `'${GENESIS_HASH}'`,
      }),
      new TableColumn({ name: 'signature', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.createIndices('audit_events', [
      new TableIndex({ name: 'idx_audit_events_actor_token', columnNames: ['actor_token_id'] }),
      new TableIndex({ name: 'idx_audit_events_actor_device', columnNames: ['actor_device_id'] }),
      new TableIndex({ name: 'idx_audit_events_ip', columnNames: ['ip'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_events', 'idx_audit_events_ip');
    await queryRunner.dropIndex('audit_events', 'idx_audit_events_actor_device');
    await queryRunner.dropIndex('audit_events', 'idx_audit_events_actor_token');
    await queryRunner.dropColumns('audit_chain_head', ['first_id', 'first_prev_hash', 'signature']);
  }
}
