import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

export class ClientTokensAndDevices1764000001000 implements MigrationInterface {
  name = 'ClientTokensAndDevices1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'devices',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'client_device_identifier', type: 'varchar', length: '255' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'client', type: 'varchar', length: '100', isNullable: true },
          { name: 'platform', type: 'varchar', length: '64', isNullable: true },
          { name: 'client_version', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'last_seen_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_devices_user_identifier',
            columnNames: ['user_id', 'client_device_identifier'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_devices_user_created',
            columnNames: ['user_id', 'created_at'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_devices_user',
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
        name: 'client_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'device_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'scopes', type: 'varchar', length: '1024' },
          { name: 'prefix', type: 'varchar', length: '16' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'expires_at', type: 'datetime', isNullable: true },
          { name: 'last_used_at', type: 'datetime', isNullable: true },
          { name: 'last_used_ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'rotated_at', type: 'datetime', isNullable: true },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
          { name: 'pair_code_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'pair_code_expires_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_client_tokens_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_client_tokens_user_created',
            columnNames: ['user_id', 'created_at'],
          }),
          new TableIndex({ name: 'idx_client_tokens_created', columnNames: ['created_at'] }),
          new TableIndex({ name: 'idx_client_tokens_device', columnNames: ['device_id'] }),
          new TableIndex({
            name: 'idx_client_tokens_pair_code_hash',
            columnNames: ['pair_code_hash'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_client_tokens_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
          new TableForeignKey({
            name: 'fk_client_tokens_device',
            columnNames: ['device_id'],
            referencedTableName: 'devices',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'client_token_retired_secrets',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'token_id', type: 'varchar', length: '36' },
          { name: 'retired_at', type: 'datetime' },
        ],
        indices: [
          new TableIndex({
            name: 'idx_client_token_retired_secrets_token',
            columnNames: ['token_id'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_client_token_retired_secrets_token',
            columnNames: ['token_id'],
            referencedTableName: 'client_tokens',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('client_token_retired_secrets');
    await queryRunner.dropTable('client_tokens');
    await queryRunner.dropTable('devices');
  }
}
