import type { ArgumentsHost } from '@nestjs/common';
import { ApiException } from './api.exception.js';
import { AllExceptionsFilter } from './all-exceptions.filter.js';

function host(contentType: string) {
  const reply = {
    sent: {} as {
      status?: number;
      type?: string;
      body?: unknown;
      headers?: Record<string, string>;
    },
    headers(h: Record<string, string>) {
      this.sent.headers = { 'content-type': contentType, ...h };
      return this;
    },
    type(t: string) {
      this.sent.type = t;
      return this;
    },
    status(s: number) {
      this.sent.status = s;
      return this;
    },
    send(b: unknown) {
      this.sent.body = b;
      return this;
    },
  };
  const request = { id: 'req-1', method: 'GET', url: '/api/cameras/1/snapshot' };
  const argumentsHost = {
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  return { reply, argumentsHost };
}

describe('AllExceptionsFilter', () => {
  it('answers JSON even on a route that declared an image content type', () => {
    const { reply, argumentsHost } = host('image/jpeg');
    new AllExceptionsFilter().catch(ApiException.notFound('Camera'), argumentsHost);
    expect(reply.sent).toMatchObject({
      status: 404,
      type: 'application/json; charset=utf-8',
      body: { statusCode: 404, error: 'not_found', message: 'Camera not found' },
    });
  });

  it('turns an unknown error into a 500 that names the request id and hides the stack', () => {
    const { reply, argumentsHost } = host('application/json');
    new AllExceptionsFilter().catch(
      new Error('database exploded at /srv/secret/path'),
      argumentsHost,
    );
    expect(reply.sent.status).toBe(500);
    expect(reply.sent.body).toEqual({
      statusCode: 500,
      error: 'internal_error',
      message: 'Something went wrong on our side; quote request id req-1 when reporting it',
      request_id: 'req-1',
    });
  });
});
