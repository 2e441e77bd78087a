import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { OAuthException } from './oauth.exception.js';

function problems(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}),
    ...problems(e.children ?? []),
  ]);
}

/**
 * The request body as `type`, validated, for OAuth endpoints: unknown parameters are
 * ignored (RFC 6749 §3.2) rather than refused as the global pipe would, a repeated
 * parameter fails its string check, and problems are `invalid_request` in the RFC shape.
 * Being a custom decorator, the global ValidationPipe leaves it alone.
 */
export const OAuthBody = createParamDecorator(
  (type: new () => object, context: ExecutionContext): object => {
    const body = context.switchToHttp().getRequest<FastifyRequest>().body;
    const plain = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
    const instance = plainToInstance(type, plain);
    const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) {
      throw new OAuthException('invalid_request', problems(errors).join('; '));
    }
    return instance;
  },
);
