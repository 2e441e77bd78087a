import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

export class DeviceFlow1764000003000 implements MigrationInterface {
  name = 'DeviceFlow1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oauth_clients',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'client_id', type: 'varchar', length: '64' },
          { name: 'display_name', type: 'varchar', length: '100' },
          { name: 'allowed_scopes', type: 'varchar', length: '1024' },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
        ],
        indices: [
          new TableIndex({
            name: 'uq_oauth_clients_client_id',
            columnNames: ['client_id'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'device_authorizations',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'device_code_hash', type: 'varchar', length: '64' },
          { name: 'user_code', type: 'varchar', length: '8' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'client_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'client_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'client_device_identifier', type: 'varchar', length: '255' },
          { name: 'device_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'platform', type: 'varchar', length: '64', isNullable: true },
          { name: 'client_version', type: 'varchar', length: '64', isNullable: true },
          { name: 'requested_scopes', type: 'varchar', length: '1024' },
          { name: 'granted_scopes', type: 'varchar', length: '1024', isNullable: true },
          { name: 'token_name', type: 'varchar', length: '100', isNullable: true },
          { name: 'token_expires_at', type: 'datetime', isNullable: true },
          { name: 'interval_seconds', type: 'integer' },
          { name: 'request_ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'request_user_agent', type: 'varchar', length: '255', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'expires_at', type: 'datetime' },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'decided_at', type: 'datetime', isNullable: true },
          { name: 'consumed_at', type: 'datetime', isNullable: true },
          { name: 'issued_token_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'device_id', type: 'varchar', length: '36', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_device_authorizations_device_code_hash',
            columnNames: ['device_code_hash'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'uq_device_authorizations_user_code',
            columnNames: ['user_code'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_device_authorizations_expires_at',
            columnNames: ['expires_at'],
          }),
          new TableIndex({ name: 'idx_device_authorizations_user', columnNames: ['user_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_device_authorizations_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('device_authorizations');
    await queryRunner.dropTable('oauth_clients');
  }
}
