import { ApiProperty } from '@nestjs/swagger';

export class FieldProblemDto {
  /** The request field, dotted for nested values (`scopes.0`). */
  field: string;

  /** What is wrong with it, one sentence each. */
  problems: string[];
}

/** The body of every non-OAuth error response. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  /** A stable snake_case code a client can branch on. */
  @ApiProperty({ example: 'validation_failed' })
  error: string;

  /** A sentence a person can act on. */
  @ApiProperty({ example: 'username must be 3-64 characters' })
  message: string;

  /** Field-level problems, present for validation failures. */
  details?: FieldProblemDto[];

  /** Present on 500s, so the operator can find the log line. */
  request_id?: string;
}
