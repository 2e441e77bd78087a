import type { ValidationError } from '@nestjs/common';
import { ApiException, type FieldProblem } from './api.exception.js';
import { ErrorCode } from './error-code.js';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints
      ? [{ field, problems: Object.values(error.constraints) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The global ValidationPipe's errors, as `validation_failed` with one entry per field. */
export function validationExceptionFactory(errors: ValidationError[]): ApiException {
  const details = flatten(errors);
  const message = details.map((d) => d.problems.join(', ')).join('; ');
  return ApiException.badRequest(ErrorCode.ValidationFailed, message || 'Invalid request', details);
}
