import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiExtension, ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import type { Principal } from './principal.js';

export const IS_PUBLIC = 'pairgate:public';
export const AUTH_OPTIONS = 'pairgate:auth-options';
export const BEARER_SCHEME = 'bearer';
/** HTTP Basic with an OAuth client's id and secret (client_secret_basic). */
export const CLIENT_BASIC_SCHEME = 'client_secret_basic';

export interface AuthOptions {
  /** Every one of these must be among the token's effective scopes. */
  scopes?: string[];
  /** Needs the `admin` scope (and so an admin user). */
  admin?: boolean;
  /**
   * Also accept `?access_token=` (long-lived tokens only), for clients that cannot send
   * headers, such as an `<img src>` pointing at a camera stream.
   */
  allowQueryToken?: boolean;
  /**
   * Only a login session may call it: the routes that create or widen a credential, so that
   * no token can mint another (which would outlive the first's revocation and expiry).
   */
  session?: boolean;
  /**
   * The route also takes OAuth client credentials (RFC 7662 callers): a request without a
   * bearer token passes the guard unauthenticated and the handler authenticates the client
   * itself; a bearer token that lacks the scopes gets 401, as RFC 7662 §2.3 asks, not 403.
   */
  orClientCredentials?: boolean;
}

export const SESSION_ONLY_NOTE =
  'Needs a login session: client and long-lived tokens get 403 `login_session_required`.';

/** No token needed. Every other route is protected by the global bearer guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The one decorator for protected routes: it sets the guard's requirements and the API
 * document's security entry together, so docs and enforcement cannot drift apart.
 */
export const Authenticated = (options: AuthOptions = {}) => {
  const scopes = [...(options.scopes ?? []), ...(options.admin ? ['admin'] : [])];
  return applyDecorators(
    SetMetadata(AUTH_OPTIONS, { ...options, scopes }),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-required-scopes', scopes),
    ...(options.session ? [ApiExtension('x-session-only', true)] : []),
    ...(options.orClientCredentials ? [ApiBasicAuth(CLIENT_BASIC_SCHEME)] : []),
    ApiErrors(401, 403),
    ...(options.allowQueryToken
      ? [
          ApiQuery({
            name: 'access_token',
            required: false,
            description: 'A long-lived token, for clients that cannot send an Authorization header',
          }),
        ]
      : []),
  );
};

/** The authenticated caller, as the bearer guard resolved it. */
export const Auth = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<FastifyRequest & { principal: Principal }>().principal,
);
