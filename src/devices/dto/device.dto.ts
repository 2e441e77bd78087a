import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsPlainText } from '../../common/plain-text.decorator.js';
import { PageQuery } from '../../common/pagination.js';
import { SearchText, trimString } from '../../common/search-text.decorator.js';
import type { Device } from '../device.entity.js';

/** A device paired with your account. */
export class DeviceDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Living room TV' })
  name: string;

  /** What the device calls itself; unique among your devices. */
  @ApiProperty({ example: 'tv-5f2c9a' })
  client_device_identifier: string;

  /** The app on the device, as it names itself (unverified). */
  @ApiProperty({ type: String, nullable: true, example: 'Playnite' })
  client: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'android-tv' })
  platform: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2.4.1' })
  client_version: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  /** Last request from any token bound to it; updated at most every 5 minutes. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_seen_at: string | null;

  /** Tokens bound to it that are neither revoked nor expired. */
  active_tokens: number;

  /** The latest use of any token bound to it; updated at most every minute. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at: string | null;

  static from(device: Device, summary?: DeviceTokenSummary): DeviceDto {
    return {
      id: device.id,
      name: device.name,
      client_device_identifier: device.clientDeviceIdentifier,
      client: device.client,
      platform: device.platform,
      client_version: device.clientVersion,
      created_at: device.createdAt.toISOString(),
      last_seen_at: device.lastSeenAt?.toISOString() ?? null,
      active_tokens: summary?.activeTokens ?? 0,
      last_used_at: summary?.lastUsedAt?.toISOString() ?? null,
    };
  }
}

export interface DeviceTokenSummary {
  activeTokens: number;
  lastUsedAt: Date | null;
}

export class DevicePageDto {
  items: DeviceDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

export class UpdateDeviceDto {
  /** 1-100 characters. */
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @IsPlainText()
  name: string;
}

/** A device as an admin sees it: with its owner. */
export class AdminDeviceDto extends DeviceDto {
  @ApiProperty({ format: 'uuid' })
  user_id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  static fromWithOwner(device: Device, summary?: DeviceTokenSummary): AdminDeviceDto {
    return Object.assign(DeviceDto.from(device, summary), {
      user_id: device.userId,
      username: device.user?.username ?? '',
    });
  }
}

export class AdminDevicePageDto {
  items: AdminDeviceDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** `GET /api/devices`: a page of your devices, optionally searched. */
export class DeviceListQuery extends PageQuery {
  /** Matches the device's name or identifier. */
  @SearchText()
  q?: string;
}

export class AdminDeviceListQuery extends DeviceListQuery {
  @IsOptional()
  @IsUUID('all', { message: 'user_id must be a UUID' })
  user_id?: string;
}
