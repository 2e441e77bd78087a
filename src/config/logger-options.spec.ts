import { createServer } from 'node:http';
import { Writable } from 'node:stream';
import { pinoHttp, type Options } from 'pino-http';
import request from 'supertest';
import { loggerOptions } from './logger-options.js';

/** Drives pino-http (what nestjs-pino runs per request) with our options into memory. */
function loggedServer() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const [options] = loggerOptions({ logLevel: 'info' }, stream).pinoHttp as [Options, unknown];
  const middleware = pinoHttp(options, stream);
  const server = createServer((req, res) => {
    (req as { id?: string }).id = 'req-42';
    middleware(req, res);
    req.log.info({ password: 'hunter2', token: 'pgc_leak' }, 'a careless log call');
    res.setHeader('set-cookie', 'session=abc');
    res.end('ok');
  });
  return { server, lines };
}

describe('request logging', () => {
  it('logs the request id, method, path and status, and never a token or password', async () => {
    const { server, lines } = loggedServer();
    await request(server)
      .get('/api/cameras/1/stream?access_token=pgl_SECRET123&size=large')
      .set('authorization', 'Bearer pgs_HEADERSECRET')
      .expect(200);
    await request(server).get('/health/live').expect(200);
    const text = lines.join('\n');
    expect(text).not.toContain('pgl_SECRET123');
    expect(text).not.toContain('pgs_HEADERSECRET');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('pgc_leak');
    expect(text).not.toContain('session=abc');
    const completed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(1); // health probes are not request-logged
    expect(completed[0]).toMatchObject({
      req: {
        id: 'req-42',
        method: 'GET',
        url: '/api/cameras/1/stream?access_token=[redacted]&size=large',
      },
      res: { statusCode: 200 },
    });
  });
});
