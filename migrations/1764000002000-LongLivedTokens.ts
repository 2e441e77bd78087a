import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

export class LongLivedTokens1764000002000 implements MigrationInterface {
  name = 'LongLivedTokens1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'long_lived_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'prefix', type: 'varchar', length: '16' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'scope', type: 'varchar', length: '64' },
          { name: 'expires_at', type: 'datetime' },
          { name: 'last_used_at', type: 'datetime', isNullable: true },
          { name: 'last_used_ip', type: 'varchar', length: '64', isNullable: true },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
          { name: 'created_at', type: 'datetime' },
        ],
        indices: [
          new TableIndex({
            name: 'uq_long_lived_tokens_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_long_lived_tokens_user_created',
            columnNames: ['user_id', 'created_at'],
          }),
          new TableIndex({
            name: 'idx_long_lived_tokens_created',
            columnNames: ['created_at'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_long_lived_tokens_user',
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
    await queryRunner.dropTable('long_lived_tokens');
  }
}
