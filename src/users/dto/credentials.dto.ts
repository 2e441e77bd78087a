import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsPlainText } from '../../common/plain-text.decorator.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{2,63}$/;
export const USERNAME_MESSAGE =
  'username must be 3-64 characters: letters, digits, dots, dashes or underscores, starting with a letter or digit';

const lowerTrim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** Fields shared by first-run setup and admin user creation. */
export class NewUserFields {
  /** Case-insensitive; stored lower-case. */
  @Transform(lowerTrim)
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username: string;

  /** 8-256 characters. */
  @IsString()
  @Length(8, 256, { message: 'password must be 8-256 characters' })
  password: string;

  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(255)
  email?: string;
}

export class LoginDto {
  @Transform(lowerTrim)
  @IsString()
  @Length(1, 64, { message: 'username must be 1-64 characters' })
  @IsPlainText()
  username: string;

  @IsString()
  @Length(1, 256, { message: 'password must be 1-256 characters' })
  password: string;
}
