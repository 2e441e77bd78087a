import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

const GENESIS_HASH = '0'.repeat(64);

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'email', type: 'varchar', length: '255', isNullable: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'disabled_at', type: 'datetime', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
        ],
        indices: [
          new TableIndex({ name: 'uq_users_username', columnNames: ['username'], isUnique: true }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'prefix', type: 'varchar', length: '16' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'datetime' },
          { name: 'expires_at', type: 'datetime' },
          { name: 'last_used_at', type: 'datetime', isNullable: true },
          { name: 'last_used_ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '255', isNullable: true },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_sessions_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_sessions_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_sessions_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
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
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_events_created_at', columnNames: ['created_at'] }),
          new TableIndex({ name: 'idx_audit_events_action', columnNames: ['action'] }),
          new TableIndex({ name: 'idx_audit_events_actor_user', columnNames: ['actor_user_id'] }),
          new TableIndex({
            name: 'idx_audit_events_target',
            columnNames: ['target_type', 'target_id'],
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_chain_head',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'last_id', type: 'integer' },
          { name: 'last_hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    await queryRunner.query(
      'INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, ?)',
      [GENESIS_HASH],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_chain_head');
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
