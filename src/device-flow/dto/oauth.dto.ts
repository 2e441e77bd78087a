import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from './oauth-client.dto.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';

/** RFC 8628 §3.1, form-encoded. Unknown parameters are ignored (RFC 6749 §3.2). */
export class DeviceAuthorizationFormDto {
  /** Required, here or in the HTTP Basic credentials of a confidential client. */
  @IsOptional()
  @IsString({ message: 'client_id must be given once' })
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  client_id?: string;

  /** client_secret_post: a confidential client's secret (or send it by HTTP Basic). */
  @IsOptional()
  @IsString({ message: 'client_secret must be given once' })
  @Length(1, 256)
  client_secret?: string;

  /** Space-separated scopes. Defaults to a registered client's allowed scopes. */
  @ApiProperty({ required: false, example: 'me.read devices.read' })
  @IsOptional()
  @IsString({ message: 'scope must be given once, space-separated' })
  @Length(0, 1024)
  scope?: string;

  /** Extension: a stable id of the device, so pairing again reuses its Device record. */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @IsPlainText()
  device_identifier?: string;

  /** Extension: a name for the device, shown to the person approving. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsPlainText()
  device_name?: string;
}

/**
 * RFC 6749 §2.3.1 client authentication in the form: `client_id` alone for a public client,
 * with `client_secret` for a confidential one (or both in HTTP Basic instead).
 */
export class ClientCredentialsFormDto {
  /** Required for public clients; a confidential client may send it in HTTP Basic instead. */
  @IsOptional()
  @IsString({ message: 'client_id must be given once' })
  @Length(1, 64)
  client_id?: string;

  /** client_secret_post: a confidential client's secret (or send it by HTTP Basic). */
  @IsOptional()
  @IsString({ message: 'client_secret must be given once' })
  @Length(1, 256)
  client_secret?: string;
}

/** RFC 8628 §3.4, form-encoded. */
export class TokenFormDto extends ClientCredentialsFormDto {
  @ApiProperty({ example: 'urn:ietf:params:oauth:grant-type:device_code' })
  @IsString({ message: 'grant_type is required' })
  grant_type: string;

  /** Required with the device code grant. */
  @IsOptional()
  @IsString({ message: 'device_code must be given once' })
  @Length(1, 128)
  device_code?: string;
}

/** RFC 7009 §2.1, form-encoded. */
export class RevocationFormDto extends ClientCredentialsFormDto {
  /** The token to give back. */
  @IsString({ message: 'token is required, once' })
  @Length(1, 512)
  token: string;

  /** `access_token` (the only kind this server issues to clients); other hints are ignored. */
  @IsOptional()
  @IsString({ message: 'token_type_hint must be given once' })
  @Length(1, 64)
  token_type_hint?: string;
}

/**
 * RFC 7662 §2.1, form-encoded. The caller authenticates as a confidential client allowed to
 * introspect (HTTP Basic, or `client_id` and `client_secret` here), or with a bearer token
 * holding `tokens.introspect`.
 */
export class IntrospectionFormDto extends ClientCredentialsFormDto {
  /** The token to ask about, of any pairgate kind. */
  @IsString({ message: 'token is required, once' })
  @Length(1, 512)
  token: string;

  /** Accepted and ignored: pairgate tells its token kinds apart by their prefix. */
  @IsOptional()
  @IsString({ message: 'token_type_hint must be given once' })
  @Length(1, 64)
  token_type_hint?: string;
}

/**
 * RFC 7662 §2.2. An inactive, expired, revoked or unknown token answers only
 * `{ "active": false }`; the other members describe a live token.
 */
export class IntrospectionDto {
  active: boolean;

  /** Space-separated: the scopes the token holds now (its owner's role may narrow them). */
  @ApiProperty({ required: false, example: 'me.read devices.read' })
  scope?: string;

  /** The OAuth client the device flow issued the token to; absent for other tokens. */
  @ApiProperty({ required: false, example: 'living-room-tv' })
  client_id?: string;

  /** The owner's username. */
  @ApiProperty({ required: false, example: 'alice' })
  username?: string;

  /** The owner's user id. */
  @ApiProperty({ required: false, format: 'uuid' })
  sub?: string;

  @ApiProperty({ required: false, example: 'Bearer' })
  token_type?: string;

  /** When it expires, in seconds since the epoch; absent for a token that never expires. */
  @ApiProperty({ required: false, example: 1767225600 })
  exp?: number;

  /** When it was issued, in seconds since the epoch. */
  @ApiProperty({ required: false, example: 1764547200 })
  iat?: number;

  /** This server's issuer identifier (RFC 8414). */
  @ApiProperty({ required: false, example: 'https://pairgate.example.com' })
  iss?: string;

  /** Extension: the Device record the token is bound to, when it is. */
  @ApiProperty({ required: false, format: 'uuid' })
  device_id?: string;

  /** Extension: pairgate's token kind (`client`, `long_lived`, `session`, or a module's own). */
  @ApiProperty({ required: false, example: 'client' })
  token_kind?: string;
}

/** RFC 8414 authorization server metadata. */
export class AuthorizationServerMetadataDto {
  @ApiProperty({ example: 'https://pairgate.example.com' })
  issuer: string;

  device_authorization_endpoint: string;

  token_endpoint: string;

  @ApiProperty({ example: ['urn:ietf:params:oauth:grant-type:device_code'] })
  grant_types_supported: string[];

  response_types_supported: string[];

  scopes_supported: string[];

  @ApiProperty({ example: ['none', 'client_secret_basic', 'client_secret_post'] })
  token_endpoint_auth_methods_supported: string[];

  /** RFC 7009 token revocation. */
  revocation_endpoint: string;

  @ApiProperty({ example: ['none', 'client_secret_basic', 'client_secret_post'] })
  revocation_endpoint_auth_methods_supported: string[];

  /** RFC 7662 token introspection. */
  introspection_endpoint: string;

  /** A confidential client allowed to introspect, or a bearer token with `tokens.introspect`. */
  @ApiProperty({ example: ['client_secret_basic', 'client_secret_post', 'bearer'] })
  introspection_endpoint_auth_methods_supported: string[];

  service_documentation: string;
}
