import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestIp, requestUserAgent } from './request-ip.js';

/** Where a request came from: for audit events, rate limits and refused-token checks. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** The caller's address and user agent; controllers pass it on with `@ReqMeta() meta`. */
export const ReqMeta = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestMeta => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return { ip: requestIp(request), userAgent: requestUserAgent(request) };
  },
);
