import type { DataSource, EntityTarget } from 'typeorm';

/** The columns every table of bearer tokens shares. */
export interface TokenHashRow {
  id: string;
  tokenHash: string;
}

/**
 * Moves a token row from its hash under the previous TOKEN_PEPPER to its hash under the
 * current one (after a pepper rotation, at the token's first use). Conditional on the old
 * hash, so two instances doing it at once change the row once.
 */
export async function replaceTokenHash(
  dataSource: DataSource,
  entity: EntityTarget<TokenHashRow>,
  id: string,
  from: string,
  to: string,
): Promise<void> {
  await dataSource.getRepository(entity).update({ id, tokenHash: from }, { tokenHash: to });
}
