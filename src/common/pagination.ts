import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ApiException } from './errors/api.exception.js';
import { ErrorCode } from './errors/error-code.js';

/**
 * Keyset pagination: `next_cursor` from one page is `cursor` for the next. (Documented by
 * hand: the swagger plugin reads only `*.dto.ts` files.)
 */
export class PageQuery {
  @ApiPropertyOptional({
    description: 'Items per page, 1-100.',
    minimum: 1,
    maximum: 100,
    default: 50,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 50;

  @ApiPropertyOptional({ description: "Opaque; from the previous page's `next_cursor`." })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export interface Keyset {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: Keyset): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw ApiException.badRequest(
      ErrorCode.ValidationFailed,
      'cursor is not one this API returned',
    );
  }
}

/** Fetch `limit + 1` rows; this trims the extra one and says whether there is a next page. */
export function toPage<T extends Keyset, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
): { items: R[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  return {
    items: page.map(map),
    next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

/**
 * Newest first by (created_at, id), one page of `limit` rows plus one to tell whether there
 * is a next, starting after the keyset a cursor carried.
 */
export function newestFirstPage<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  limit: number,
  after?: Keyset,
): SelectQueryBuilder<T> {
  query
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1);
  if (after) {
    query.andWhere(
      `(${alias}.created_at < :keysetAt OR (${alias}.created_at = :keysetAt AND ${alias}.id < :keysetId))`,
      { keysetAt: after.createdAt, keysetId: after.id },
    );
  }
  return query;
}
