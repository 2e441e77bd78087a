import { createParamDecorator, type ExecutionContext, HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../common/errors/api.exception.js';
import { DeviceFlowError } from './device-flow.errors.js';
import { OAuthException } from './oauth.exception.js';

/** RFC 6749 §2.3.1: how a confidential client proved itself. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** The client_id and secret a request presented, and how. */
export interface PresentedClient {
  clientId: string | undefined;
  secret: string | null;
  method: ClientAuthMethod | null;
}

export const CLIENT_AUTH_METHODS: readonly string[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
];

/** RFC 7662 callers: a confidential client, or a bearer token holding `tokens.introspect`. */
export const INTROSPECTION_AUTH_METHODS: readonly string[] = [
  'client_secret_basic',
  'client_secret_post',
  'bearer',
];

const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/** A failed client authentication: 401 with a Basic challenge (RFC 6749 §5.2). */
export function invalidClient(message: string): ApiException {
  return new ApiException(
    HttpStatus.UNAUTHORIZED,
    DeviceFlowError.InvalidClient,
    message,
    undefined,
    {
      'WWW-Authenticate': 'Basic realm="pairgate"',
    },
  );
}

/** application/x-www-form-urlencoded decoding of one Basic credential half (RFC 6749 §2.3.1). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * Reads client authentication from an OAuth request: HTTP Basic (`client_secret_basic`) or
 * `client_id` and `client_secret` form fields (`client_secret_post`), never both; a public
 * client sends only `client_id`.
 */
export function presentedClient(
  authorization: string | undefined,
  form: { client_id?: string; client_secret?: string },
): PresentedClient {
  if (authorization === undefined) {
    return {
      clientId: form.client_id,
      secret: form.client_secret ?? null,
      method: form.client_secret !== undefined ? 'client_secret_post' : null,
    };
  }
  const match = BASIC.exec(authorization);
  if (!match) {
    throw invalidClient(
      'Authenticate the client with "Authorization: Basic base64(client_id:client_secret)", or send client_secret in the form',
    );
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1 || colon === decoded.length - 1) {
    throw invalidClient('The Basic credentials must be client_id:client_secret, both non-empty');
  }
  let clientId: string;
  let secret: string;
  try {
    clientId = formDecode(decoded.slice(0, colon));
    secret = formDecode(decoded.slice(colon + 1));
  } catch {
    throw invalidClient('The Basic credentials are not form-encoded client_id:client_secret');
  }
  if (form.client_secret !== undefined) {
    throw new OAuthException(
      'invalid_request',
      'Authenticate the client one way: HTTP Basic or client_secret in the form, not both',
    );
  }
  if (form.client_id !== undefined && form.client_id !== clientId) {
    throw invalidClient('The client_id in the form differs from the one in the Basic credentials');
  }
  return { clientId, secret, method: 'client_secret_basic' };
}

/** The Authorization header of the request, for `presentedClient`. */
export const AuthorizationHeader = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const count = (request.raw?.rawHeaders ?? []).filter(
      (name, i) => i % 2 === 0 && name.toLowerCase() === 'authorization',
    ).length;
    if (count > 1) {
      throw new OAuthException('invalid_request', 'Send one Authorization header, not several');
    }
    return request.headers.authorization;
  },
);
