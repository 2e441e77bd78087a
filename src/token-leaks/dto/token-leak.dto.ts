import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
} from 'class-validator';

/** What a secret scanner (or a person) found. */
export class TokenLeakReportDto {
  /** The strings that look like pairgate tokens, 1-100 of them. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 512, { each: true })
  tokens: string[];

  /** Where they were found (a commit, a paste, a log), shown to each owner. */
  @IsOptional()
  @IsUrl({ require_protocol: true }, { message: 'url must be an absolute URL' })
  @MaxLength(2048)
  url?: string;
}

/** The same answer whatever was found: the endpoint is not a validity oracle. */
export class TokenLeakReceiptDto {
  /** How many strings were received. */
  received: number;
}
