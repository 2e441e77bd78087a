import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OAuthErrorCode } from './oauth.exception.js';
import { OAUTH_RESPONSE_HEADERS } from './oauth-exception.filter.js';

/** The endpoints whose errors must be in the RFC 6749 §5.2 shape. */
export const OAUTH_ERROR_PATHS = new Set([
  '/oauth/device_authorization',
  '/oauth/token',
  '/api/auth/device/token',
]);

/**
 * A body Fastify rejects (malformed JSON, unsupported media type, too large) fails before
 * Nest routes the request, so OAuthExceptionFilter never sees it and the global filter
 * answers in the common shape. This hook rewrites such answers on the OAuth endpoints into
 * `{ error, error_description }` with `Cache-Control: no-store`, keeping the status.
 */
@Injectable()
export class OAuthErrorShapeHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    // Callback-style: no promise per request on the hot path.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      done(null, reshaped(request.url, reply, payload));
    });
  }
}

function reshaped(url: string, reply: FastifyReply, payload: unknown): unknown {
  if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
  // Already in the RFC shape (OAuthExceptionFilter puts `error` first): the common case,
  // every pending poll, costs no parse.
  if (payload.startsWith('{"error":')) return payload;
  if (!OAUTH_ERROR_PATHS.has(url.split('?')[0])) return payload;
  let body: { statusCode?: number; message?: string; error_description?: string };
  try {
    body = JSON.parse(payload) as typeof body;
  } catch {
    return payload;
  }
  if (!body || body.error_description !== undefined || body.statusCode === undefined) {
    return payload;
  }
  const error: OAuthErrorCode =
    reply.statusCode === 429
      ? 'slow_down'
      : reply.statusCode >= 500
        ? 'server_error'
        : 'invalid_request';
  void reply.headers(OAUTH_RESPONSE_HEADERS);
  return JSON.stringify({ error, error_description: body.message ?? 'Bad request' });
}
