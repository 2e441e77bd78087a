import { type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { requestIp, requestUserAgent } from '../common/request-ip.js';
import { ActivityRecorder } from './activity-recorder.js';
import { AUTH_OPTIONS, type AuthOptions, IS_PUBLIC } from './auth.decorators.js';
import type { CredentialView } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { TokenKindRegistry } from './token-kind.registry.js';
import { AuthRefusals } from './auth-refusals.js';
import { ScopeRegistry } from './scope.registry.js';

interface RouteAuth {
  isPublic: boolean;
  options: AuthOptions;
}

type GuardedRequest = FastifyRequest & { principal?: Principal; credentialView?: CredentialView };

const REALM = 'Bearer realm="pairgate"';
const BEARER_HEADER = /^Bearer +[^\s]+ *$/i;
const BEARER_PREFIX = /^Bearer\b/i;

function countHeader(rawHeaders: string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) count++;
  }
  return count;
}

function unauthorized(message: string, tokenPresented: boolean): ApiException {
  const challenge = tokenPresented
    ? `${REALM}, error="invalid_token", error_description="${message}"`
    : REALM;
  return new ApiException(
    HttpStatus.UNAUTHORIZED,
    tokenPresented ? ErrorCode.InvalidToken : ErrorCode.Unauthorized,
    message,
    undefined,
    { 'WWW-Authenticate': challenge },
  );
}

export function insufficientScope(
  scopes: string[],
  status: HttpStatus = HttpStatus.FORBIDDEN,
): ApiException {
  return new ApiException(
    status,
    ErrorCode.InsufficientScope,
    `This token lacks the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')} needed here`,
    undefined,
    {
      'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scopes.join(' ')}"`,
    },
  );
}

/**
 * The global guard: every route needs a valid bearer token unless it is `@Public()`.
 * It lets passport see only the token sources the route allows, then checks scopes and
 * records activity (debounced, never awaited).
 */
@Injectable()
export class BearerAuthGuard extends AuthGuard('bearer') {
  constructor(
    private readonly reflector: Reflector,
    private readonly activity: ActivityRecorder,
    private readonly kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
    private readonly refusals: AuthRefusals,
  ) {
    super({ property: 'principal', session: false });
  }

  /** What a route declares (`@Public()`, `@Authenticated(…)`), read once per handler. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAuth>>();

  private routeAuth(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.routes.set(controller, byHandler);
    }
    let auth = byHandler.get(handler);
    if (!auth) {
      const targets = [handler, controller];
      auth = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
        options: this.reflector.getAllAndOverride<AuthOptions>(AUTH_OPTIONS, targets) ?? {},
      };
      byHandler.set(handler, auth);
    }
    return auth;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, options } = this.routeAuth(context);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();

    const header = request.headers.authorization;
    const queryToken = (request.query as Record<string, unknown> | undefined)?.access_token;
    // An OAuth client authenticating itself (RFC 7662): the handler checks its credentials.
    if (
      options.orClientCredentials &&
      queryToken === undefined &&
      !(header && BEARER_PREFIX.test(header))
    ) {
      return true;
    }
    // Node keeps only the first of repeated Authorization headers: refuse the ambiguity.
    if (countHeader(request.raw?.rawHeaders ?? [], 'authorization') > 1) {
      throw ApiException.badRequest(
        ErrorCode.BadRequest,
        'Send one Authorization header, not several',
      );
    }
    if (header !== undefined && !BEARER_HEADER.test(header)) {
      throw unauthorized('The Authorization header must be "Bearer <token>"', true);
    }
    if (queryToken !== undefined && !options.allowQueryToken) {
      throw unauthorized(
        'Tokens are not accepted in the query string on this route: send an Authorization: Bearer header',
        true,
      );
    }
    if (queryToken !== undefined && header) {
      throw ApiException.badRequest(
        ErrorCode.BadRequest,
        'Send the token either in the Authorization header or as access_token, not both',
      );
    }
    if (queryToken !== undefined && typeof queryToken !== 'string') {
      throw ApiException.badRequest(ErrorCode.BadRequest, 'access_token must be given once');
    }
    const ip = requestIp(request);
    request.credentialView = {
      headers: { authorization: header },
      query: typeof queryToken === 'string' ? { access_token: queryToken } : undefined,
      meta: { ip, userAgent: requestUserAgent(request) },
    };

    await super.canActivate(context);
    const principal = request.principal!;

    const kind = this.kinds.capabilitiesOf(principal.kind);
    if (queryToken !== undefined && !kind.queryString) {
      const allowed = this.kinds.queryStringKinds().join(' or ') || 'no';
      throw unauthorized(
        `Only ${allowed} tokens may be sent in the query string: send this one in an Authorization: Bearer header`,
        true,
      );
    }
    const required = options.scopes ?? [];
    // RFC 7662 §2.3: an introspection caller's token without the privilege gets 401.
    const refusal = options.orClientCredentials ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN;
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      if (missing.some((scope) => this.scopes.get(scope)?.adminOnly)) {
        this.refusals.adminRouteRefused({
          principal,
          ip,
          userAgent: requestUserAgent(request),
          method: request.method,
          path: request.routeOptions?.url ?? request.url,
          missing,
        });
      }
      throw insufficientScope(missing, refusal);
    }
    // A single-scope token (long-lived) does one read-only thing: routes that do not ask for
    // its scope refuse it, whatever else they require.
    if (kind.singleScope && !principal.scopes.some((s) => required.includes(s))) {
      throw insufficientScope(
        required.length > 0 ? required : ['(a session or client token)'],
        refusal,
      );
    }
    if (options.session && !kind.loginSession) {
      throw ApiException.loginSessionRequired();
    }

    this.activity.record(principal, ip);
    return true;
  }

  override getRequest(context: ExecutionContext): CredentialView {
    return context.switchToHttp().getRequest<GuardedRequest>().credentialView!;
  }

  override handleRequest<TUser = Principal>(
    err: unknown,
    principal: TUser | false,
    info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (err) throw err;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const view = request.credentialView!;
    const presented = Boolean(view.headers.authorization || view.query?.access_token);
    if (!principal) {
      if (!presented)
        throw unauthorized('Authentication required: send Authorization: Bearer <token>', false);
      if (view.failure === 'malformed') {
        throw unauthorized('The access token is malformed or fails its checksum', true);
      }
      throw unauthorized('The access token is invalid, expired or revoked', true);
    }
    request.principal = principal as unknown as Principal;
    return principal;
  }
}
