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

/** RFC 8628 §3.4, form-encoded. */
export class TokenFormDto {
  @ApiProperty({ example: 'urn:ietf:params:oauth:grant-type:device_code' })
  @IsString({ message: 'grant_type is required' })
  grant_type: string;

  /** Required with the device code grant. */
  @IsOptional()
  @IsString({ message: 'device_code must be given once' })
  @Length(1, 128)
  device_code?: string;

  /** Required for public clients (RFC 8628 §3.4); must match the device authorization request. */
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

/** RFC 7009 §2.1, form-encoded. */
export class RevocationFormDto {
  /** The token to give back. */
  @IsString({ message: 'token is required, once' })
  @Length(1, 512)
  token: string;

  /** `access_token` (the only kind this server issues to clients); other hints are ignored. */
  @IsOptional()
  @IsString({ message: 'token_type_hint must be given once' })
  @Length(1, 64)
  token_type_hint?: string;

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

  service_documentation: string;
}
