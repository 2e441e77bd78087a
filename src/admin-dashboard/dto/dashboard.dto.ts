import { ApiProperty } from '@nestjs/swagger';

export class DashboardUsersDto {
  @ApiProperty({ example: 42 })
  total: number;

  @ApiProperty({ example: 2 })
  admins: number;

  @ApiProperty({ example: 1 })
  disabled: number;
}

export class ActiveTokensDto {
  /** The token kind: `session`, `client`, `long_lived`, or one a module registered. */
  @ApiProperty({ example: 'client' })
  kind: string;

  /** Neither revoked nor expired. */
  @ApiProperty({ example: 17 })
  active: number;
}

/** The numbers on the admin console's first page. */
export class DashboardDto {
  users: DashboardUsersDto;

  /** Live tokens of each registered kind. */
  active_tokens: ActiveTokensDto[];

  @ApiProperty({ example: 9 })
  devices: number;

  /** Device authorizations waiting for a person's answer, not yet expired. */
  @ApiProperty({ example: 0 })
  pending_device_authorizations: number;

  /** Audit events recorded in the last 24 hours. */
  @ApiProperty({ example: 310 })
  events_last_24h: number;

  /** Refused sign-ins (`auth.login`, outcome `failure`) in the last 24 hours. */
  @ApiProperty({ example: 3 })
  failed_logins_last_24h: number;

  /** When these numbers were counted. */
  @ApiProperty({ example: '2026-11-29T21:30:00.000Z' })
  generated_at: string;
}
