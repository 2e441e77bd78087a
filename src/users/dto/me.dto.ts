import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Who the presented token belongs to, and what it can do. */
export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  username: string;

  @ApiProperty({ type: String, nullable: true })
  email: string | null;

  @ApiProperty({ enum: ['admin', 'user'] })
  role: 'admin' | 'user';

  /** The token's effective scopes: what it holds that the user may still hold. */
  scopes: string[];

  /** `session`, `client`, `long_lived`, or a kind another module registered. */
  @ApiProperty({ example: 'client' })
  token_kind: string;

  token_id: string;

  /** The device this token is bound to; null unless the token is device-bound. */
  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  current_device_id: string | null;
}

export class ChangePasswordDto {
  @IsString()
  @Length(1, 256)
  current_password: string;

  /** 8-256 characters. */
  @IsString()
  @Length(8, 256, { message: 'new_password must be 8-256 characters' })
  new_password: string;
}
