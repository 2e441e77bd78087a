import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from './user.dto.js';

export class LoginResponseDto {
  /** A `pgs_` session token. Shown once: keep it, it cannot be read again. */
  @ApiProperty({ example: 'pgs_3hT9dKq2mZpX8vLwYb4nR6sJc1fGa0eUi7Yk2Q' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  /** Seconds until the session expires. */
  expires_in: number;

  user: UserDto;
}
