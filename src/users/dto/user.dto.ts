import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'alice@example.com' })
  email: string | null;

  @ApiProperty({ enum: ['admin', 'user'] })
  role: 'admin' | 'user';

  /** Set when an admin disabled the account; every token of a disabled user fails. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabled_at: string | null;

  created_at: string;

  static from(user: User): UserDto {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      role: user.role,
      disabled_at: user.disabledAt?.toISOString() ?? null,
      created_at: user.createdAt.toISOString(),
    };
  }
}

export class UserPageDto {
  items: UserDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
