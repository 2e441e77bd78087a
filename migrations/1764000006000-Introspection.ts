import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/** RFC 7662: an admin allows a confidential registered client to introspect tokens. */
export class Introspection1764000006000 implements MigrationInterface {
  name = 'Introspection1764000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'oauth_clients',
      new TableColumn({ name: 'may_introspect', type: 'boolean', default: 0 }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oauth_clients', 'may_introspect');
  }
}
