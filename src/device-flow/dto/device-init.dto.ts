import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { CLIENT_ID_MESSAGE, CLIENT_ID_PATTERN } from './oauth-client.dto.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';
import { trimString } from '../../common/search-text.decorator.js';

/** A device asks to be paired. */
export class DeviceInitDto {
  /** The app's client id. A registered client is shown as verified and limited to its scopes. */
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  client_id?: string;

  /**
   * A stable identifier of this device (a hardware or install id). Pairing the same device
   * again reuses its Device record.
   */
  @Transform(trimString)
  @IsString()
  @Length(1, 255, { message: 'client_device_identifier must be 1-255 characters' })
  @IsPlainText()
  client_device_identifier: string;

  /** The app's name as shown to the person approving (unverified unless the client is registered). */
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'client_name must be 1-100 characters' })
  @IsPlainText()
  client_name?: string;

  /** A name for this device, such as "Living-room TV". */
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'device_name must be 1-100 characters' })
  @IsPlainText()
  device_name?: string;

  @ApiProperty({ required: false, example: 'android-tv' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 64, { message: 'platform must be 1-64 characters' })
  @IsPlainText()
  platform?: string;

  @ApiProperty({ required: false, example: '2.4.1' })
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 64, { message: 'client_version must be 1-64 characters' })
  @IsPlainText()
  client_version?: string;

  /** The scopes the device asks for; the approving person may narrow them. */
  @ApiProperty({ example: ['me.read', 'devices.read'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'scopes must name at least one scope' })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  scopes: string[];
}

/** RFC 8628 §3.2 device authorization response, plus a QR code URL. */
export class DeviceAuthorizationDto {
  /** Secret: the device keeps it and polls the token endpoint with it. Never show it. */
  device_code: string;

  /** Shown to the person, who types it on the pairing page. */
  @ApiProperty({ example: 'BCDF-GHJK' })
  user_code: string;

  @ApiProperty({ example: 'https://pairgate.example.com/pair/device' })
  verification_uri: string;

  @ApiProperty({ example: 'https://pairgate.example.com/pair/device?user_code=BCDF-GHJK' })
  verification_uri_complete: string;

  /** An SVG QR code of `verification_uri_complete` (`&format=png` for PNG). */
  @ApiProperty({
    example: 'https://pairgate.example.com/api/auth/device/qr?user_code=BCDF-GHJK',
  })
  qr_url: string;

  /** Seconds until the codes expire. */
  @ApiProperty({ example: 600 })
  expires_in: number;

  /** Seconds to wait between polls. */
  @ApiProperty({ example: 5 })
  interval: number;
}
