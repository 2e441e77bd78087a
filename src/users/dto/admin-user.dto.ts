import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { NewUserFields } from './credentials.dto.js';
import { SearchText } from '../../common/search-text.decorator.js';

export class CreateUserDto extends NewUserFields {
  /** Defaults to `user`. */
  @IsOptional()
  @IsIn(['admin', 'user'], { message: 'role must be admin or user' })
  role?: 'admin' | 'user';
}

export class UpdateUserDto {
  @IsOptional()
  @IsIn(['admin', 'user'], { message: 'role must be admin or user' })
  role?: 'admin' | 'user';

  /** true disables the account: every token of the user fails on the next request. */
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class UserListQuery extends PageQuery {
  /** Matches username or email. */
  @SearchText()
  q?: string;

  @IsOptional()
  @IsIn(['admin', 'user'])
  role?: 'admin' | 'user';
}

export class SetupDto extends NewUserFields {
  /** The one-time code printed in the server log at first start. */
  @IsString()
  @MaxLength(100)
  setup_code: string;
}

export class SetupStatusDto {
  /** True until the first admin exists. */
  setup_required: boolean;
}
