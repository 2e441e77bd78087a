import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import type { OAuthClient } from '../oauth-client.entity.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';
import { PageQuery } from '../../common/pagination.js';
import { SearchText, trimString } from '../../common/search-text.decorator.js';

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const CLIENT_ID_MESSAGE =
  'client_id must be 1-64 letters, digits, dots, dashes, colons or underscores';

export class CreateOAuthClientDto {
  /** What devices send as `client_id`. Generated when omitted. */
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  client_id?: string;

  /** Shown to the person approving a device ("Verified" only when a confidential client authenticated). */
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'display_name must be 1-100 characters' })
  @IsPlainText()
  display_name: string;

  /** The scopes this client's devices may ask for. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  allowed_scopes: string[];

  /**
   * A confidential client gets a secret (shown once, in `client_secret`) and must present
   * it at /oauth/device_authorization and /oauth/token (client_secret_basic or
   * client_secret_post); only its requests are shown as verified. For apps whose secret
   * stays on a server you control, not for apps shipped to devices.
   */
  @IsOptional()
  @IsBoolean({ message: 'confidential must be true or false' })
  confidential?: boolean;

  /**
   * May call /oauth/introspect (RFC 7662) to ask whether a token is live and what it may
   * do: for a resource server behind pairgate. Only a confidential client can use it, since
   * it must authenticate with its secret.
   */
  @IsOptional()
  @IsBoolean({ message: 'may_introspect must be true or false' })
  may_introspect?: boolean;
}

export class UpdateOAuthClientDto {
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'display_name must be 1-100 characters' })
  @IsPlainText()
  display_name?: string;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  allowed_scopes?: string[];

  /** Allow or stop its calls to /oauth/introspect (a confidential client only). */
  @IsOptional()
  @IsBoolean({ message: 'may_introspect must be true or false' })
  may_introspect?: boolean;
}

/** `GET /api/admin/oauth-clients`: a page of registered clients, optionally searched. */
export class OAuthClientListQuery extends PageQuery {
  /** Matches the client_id or the display name. */
  @SearchText()
  q?: string;
}

export class ClientIdParam {
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  client_id: string;
}

/** A registered client. */
export class OAuthClientDto {
  @ApiProperty({ example: 'living-room-tv' })
  client_id: string;

  @ApiProperty({ example: 'Living-room TV app' })
  display_name: string;

  @ApiProperty({ example: ['me.read', 'devices.read'] })
  allowed_scopes: string[];

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  /** True when it has a secret and must authenticate with it. */
  confidential: boolean;

  /** The secret's first characters after `pgx_`, to recognise it; null for a public client. */
  @ApiProperty({ type: String, nullable: true, example: 'k3J9qZ2m' })
  secret_prefix: string | null;

  /** It may call /oauth/introspect, authenticating with its secret. */
  may_introspect: boolean;

  static from(client: OAuthClient): OAuthClientDto {
    return {
      client_id: client.clientId,
      display_name: client.displayName,
      allowed_scopes: client.allowedScopes.split(' ').filter(Boolean),
      created_at: client.createdAt.toISOString(),
      updated_at: client.updatedAt.toISOString(),
      confidential: client.secretHash !== null,
      secret_prefix: client.secretPrefix,
      may_introspect: client.mayIntrospect,
    };
  }
}

/** A client as created or given a new secret: the secret appears here, once. */
export class OAuthClientWithSecretDto extends OAuthClientDto {
  /** `pgx_…`: store it in the app's server now; it is never shown again. Only for confidential clients. */
  @ApiProperty({ required: false, example: 'pgx_k3J9qZ2mB7xY4pW1vN8cR5tL0sD6fH2jG9aE3uQ7' })
  client_secret?: string;

  static withSecret(client: OAuthClient, secret: string | null): OAuthClientWithSecretDto {
    const dto: OAuthClientWithSecretDto = OAuthClientDto.from(client);
    if (secret !== null) dto.client_secret = secret;
    return dto;
  }
}

export class OAuthClientPageDto {
  items: OAuthClientDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
