import type { FastifyRequest } from 'fastify';

/** The client address as Fastify computed it from TRUST_PROXY. */
export function requestIp(request: FastifyRequest): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

export function requestUserAgent(request: FastifyRequest): string | null {
  const ua = request.headers['user-agent'];
  return ua ? ua.slice(0, 255) : null;
}
