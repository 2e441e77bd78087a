import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { OAuthException } from './oauth.exception.js';

function problems(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}),
    ...problems(e.children ?? []),
  ]);
}

/** The parameters a form class has rules for, inherited ones included, by class. */
const parameters = new WeakMap<object, string[]>();

function parametersOf(type: new () => object): string[] {
  let found = parameters.get(type);
  if (!found) {
    const rules = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
    found = [...new Set(rules.map((rule) => rule.propertyName))];
    parameters.set(type, found);
  }
  return found;
}

/**
 * The request body as `type`, validated, for OAuth endpoints: unknown parameters are
 * ignored (RFC 6749 §3.2) rather than refused as the global pipe would, a repeated
 * parameter fails its string check, and problems are `invalid_request` in the RFC shape.
 * Being a custom decorator, the global ValidationPipe leaves it alone.
 *
 * The form classes are flat (strings, no class-transformer decorators), so the instance is
 * built by copying the parameters the class declares, own properties of the body only:
 * what class-transformer's `plainToInstance` followed by whitelisting would give, at a
 * fraction of the cost on the anonymous endpoints.
 */
export const OAuthBody = createParamDecorator(
  (type: new () => object, context: ExecutionContext): object => {
    const body = context.switchToHttp().getRequest<FastifyRequest>().body;
    const plain = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >;
    const instance = new type() as Record<string, unknown>;
    for (const name of parametersOf(type)) {
      if (Object.hasOwn(plain, name)) instance[name] = plain[name];
    }
    const errors = validateSync(instance, { forbidUnknownValues: false });
    if (errors.length > 0) {
      throw new OAuthException('invalid_request', problems(errors).join('; '));
    }
    return instance;
  },
);
