import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../audit/audit.service.js';
import { requestIp, requestUserAgent } from './request-ip.js';

/** The caller's address and user agent, for audit events and rate limits. */
export const ReqMeta = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestMeta => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return { ip: requestIp(request), userAgent: requestUserAgent(request) };
  },
);
