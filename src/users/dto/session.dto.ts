import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { SearchText } from '../../common/search-text.decorator.js';
import type { Session } from '../session.entity.js';

/** A login session (a sign-in to the console or the API), as its owner sees it. */
export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The first 8 characters after `pgs_`, to recognise it. */
  @ApiProperty({ example: 'Q2xK9pLm' })
  prefix: string;

  created_at: string;

  expires_at: string;

  /** Updated at most once a minute. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  last_used_ip: string | null;

  /** The browser or program that signed in, as it named itself. */
  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;

  /** The session this request was made with. */
  current: boolean;

  static from(session: Session, currentId: string | null): SessionDto {
    return {
      id: session.id,
      prefix: session.prefix,
      created_at: session.createdAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      last_used_at: session.lastUsedAt?.toISOString() ?? null,
      last_used_ip: session.lastUsedIp,
      user_agent: session.userAgent,
      current: session.id === currentId,
    };
  }
}

export class SessionPageDto {
  items: SessionDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** A live session with its owner, for admins. */
export class AdminSessionDto extends SessionDto {
  @ApiProperty({ format: 'uuid' })
  user_id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  static fromWithOwner(session: Session, currentId: string | null): AdminSessionDto {
    return Object.assign(SessionDto.from(session, currentId), {
      user_id: session.userId,
      username: session.user?.username ?? '',
    });
  }
}

export class AdminSessionPageDto {
  items: AdminSessionDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** `GET /api/users/me/sessions`: your live sessions, optionally searched. */
export class SessionListQuery extends PageQuery {
  /** Matches the browser or program (user agent) or the address it was last used from. */
  @SearchText()
  q?: string;
}

export class AdminSessionListQuery extends SessionListQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  user_id?: string;
}
