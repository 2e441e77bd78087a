import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A device polls for its token (JSON). Unknown fields are ignored, as OAuth requires. */
export class DeviceTokenRequestDto {
  /** The device_code from init. */
  @IsString({ message: 'device_code is required' })
  @Length(1, 128, { message: 'device_code must be 1-128 characters' })
  device_code: string;

  /** Must match the client_id of the request, when given. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  client_id?: string;

  /** Optional here; if sent it must be the device code grant. */
  @ApiProperty({ required: false, example: DEVICE_CODE_GRANT })
  @IsOptional()
  @IsString()
  grant_type?: string;
}

/** The token, returned once. RFC 6749 §5.1 plus the paired device's id. */
export class DeviceTokenDto {
  /** A `pgc_` client token bound to the device. Store it; it is not shown again. */
  @ApiProperty({ example: 'pgc_…' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  /** The granted scopes, space-separated. */
  @ApiProperty({ example: 'me.read devices.read' })
  scope: string;

  /** Seconds until the token expires; absent when it never does. */
  @ApiProperty({ required: false })
  expires_in?: number;

  /** The Device record the token is bound to. */
  @ApiProperty({ format: 'uuid' })
  device_id: string;
}

/** RFC 6749 §5.2 error body, used by the OAuth endpoints and the JSON token endpoint. */
export class OAuthErrorDto {
  @ApiProperty({
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'invalid_scope',
      'unsupported_grant_type',
      'authorization_pending',
      'slow_down',
      'access_denied',
      'expired_token',
      'server_error',
    ],
  })
  error: string;

  @ApiProperty({ example: 'The user has not approved this device yet' })
  error_description: string;

  /** With authorization_pending and slow_down: the interval to keep, in seconds. */
  @ApiProperty({ required: false, example: 10 })
  interval?: number;
}
