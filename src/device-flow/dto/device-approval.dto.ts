import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { normalizeHumanCode } from '../../common/human-code.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';
import { trimString } from '../../common/search-text.decorator.js';

const USER_CODE_MESSAGE = 'user_code must be the 8-letter code the device shows, like BCDF-GHJK';
/** Normalized form; the transform turns anything that cannot be a code into a failing value. */
const NORMALIZED = /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/;
const toUserCode = ({ value }: { value: unknown }) => normalizeHumanCode(value) ?? value;

/** Any case, with or without the dash. */
export class UserCodeQuery {
  @ApiProperty({ example: 'BCDF-GHJK' })
  @Transform(toUserCode)
  @IsString({ message: USER_CODE_MESSAGE })
  @Matches(NORMALIZED, { message: USER_CODE_MESSAGE })
  user_code: string;
}

export class QrQuery extends UserCodeQuery {
  /** Defaults to svg. */
  @IsOptional()
  @IsIn(['svg', 'png'], { message: 'format must be svg or png' })
  format?: 'svg' | 'png';
}

export class DenyDeviceDto extends UserCodeQuery {}

export class ApproveDeviceDto extends UserCodeQuery {
  /** Names the token and the device; defaults to what the device sent. */
  @IsOptional()
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @IsPlainText()
  name?: string;

  /** Narrows what the device asked for; defaults to all of it. Each must be yours to grant. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'scopes must keep at least one scope; deny the request instead' })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  scopes?: string[];

  /** The token expires this many days after approval. Omit both expiry fields for never. */
  @IsOptional()
  @IsInt({ message: 'expires_in_days must be a whole number of days' })
  @Min(1)
  @Max(3650)
  expires_in_days?: number;

  /** When the token expires; null (the default) means never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, required: false })
  @ValidateIf((_o, value) => value !== null && value !== undefined)
  @Type(() => Date)
  @IsDate({ message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: Date | null;
}

/** A scope the device asked for, explained. */
export class PendingScopeDto {
  @ApiProperty({ example: 'devices.read' })
  name: string;

  @ApiProperty({ example: 'List your paired devices' })
  description: string;

  /** Whether you may grant it with the token you are using; the others must be left out. */
  grantable: boolean;
}

/** What a device asked for, for the person deciding. */
export class DevicePendingDto {
  @ApiProperty({ example: 'BCDF-GHJK' })
  user_code: string;

  @ApiProperty({ type: String, nullable: true, example: 'living-room-tv' })
  client_id: string | null;

  /** The registered display name when `client_registered`, else what the device claims. */
  @ApiProperty({ type: String, nullable: true, example: 'Living-room TV app' })
  client_name: string | null;

  /** True when an admin registered client_id. A public client's id can be sent by any device. */
  client_registered: boolean;

  /**
   * True only when the client is confidential and authenticated with its secret when the
   * device asked: then the name is the registered app's, proven.
   */
  client_verified: boolean;

  /** What to tell the person when the app is not verified; null when it is. */
  @ApiProperty({ type: String, nullable: true })
  client_warning: string | null;

  client_device_identifier: string;

  @ApiProperty({ type: String, nullable: true })
  device_name: string | null;

  @ApiProperty({ type: String, nullable: true })
  platform: string | null;

  @ApiProperty({ type: String, nullable: true })
  client_version: string | null;

  scopes: PendingScopeDto[];

  /** The address the request came from. */
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;
}

/** The outcome of approve or deny. */
export class DeviceDecisionDto {
  @ApiProperty({ example: 'BCDF-GHJK' })
  user_code: string;

  @ApiProperty({ enum: ['approved', 'denied'] })
  status: 'approved' | 'denied';

  /** The scopes the device's token will hold (approved only). */
  @ApiProperty({ required: false })
  scopes?: string[];

  @ApiProperty({ type: String, nullable: true, required: false })
  name?: string | null;

  /**
   * When the token will expire (approved only): what was asked, clamped by
   * CLIENT_TOKEN_MAX_TTL_DAYS ("never" means that cap) and by the scopes' own limits; null
   * only when the server allows true never.
   */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, required: false })
  token_expires_at?: string | null;

  /** Present and true when a rule shortened the expiry that was asked for. */
  expiry_clamped?: boolean;
}
