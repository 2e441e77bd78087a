import { Metrics } from '../src/common/metrics/metrics.js';
import { type ClientRequest, get as httpGet, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { OpenAPIObject } from '@nestjs/swagger';
import { ScopeRegistry } from '../src/auth/scope.registry.js';
import { CamerasService } from '../src/cameras/cameras.service.js';
import { redisAnswers, TEST_REDIS_URL as REDIS_URL } from './support/redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** Reads a multipart/x-mixed-replace response part by part, as a browser's <img> would. */
class MultipartReader {
  readonly parts: Part[] = [];
  closedProperly = false;
  ended = false;
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  constructor(
    readonly res: IncomingMessage,
    readonly req: ClientRequest,
    private readonly boundary: string,
  ) {
    res.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
      this.notify();
    });
    res.on('end', () => {
      this.ended = true;
      this.notify();
    });
    res.on('close', () => this.notify());
  }

  private parse(): void {
    for (;;) {
      const closing = `--${this.boundary}--\r\n`;
      if (this.buffer.subarray(0, closing.length).toString() === closing) {
        this.closedProperly = true;
        this.buffer = this.buffer.subarray(closing.length);
        return;
      }
      const opening = `--${this.boundary}\r\n`;
      if (this.buffer.length < opening.length) return;
      expect(this.buffer.subarray(0, opening.length).toString()).toBe(opening);
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const headers = Object.fromEntries(
        this.buffer
          .subarray(opening.length, headerEnd)
          .toString()
          .split('\r\n')
          .map((line) => {
            const [name, ...value] = line.split(':');
            return [name.toLowerCase(), value.join(':').trim()];
          }),
      );
      const length = Number(headers['content-length']);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length + 2) return;
      this.parts.push({ headers, body: this.buffer.subarray(start, start + length) });
      expect(this.buffer.subarray(start + length, start + length + 2).toString()).toBe('\r\n');
      this.buffer = this.buffer.subarray(start + length + 2);
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  async until(
    done: () => boolean | Promise<boolean>,
    what: string,
    timeoutMs = 5000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  waitForParts(count: number): Promise<void> {
    return this.until(() => this.parts.length >= count, `${count} parts`);
  }

  abort(): void {
    this.req.destroy();
  }
}

function isJpeg(body: Buffer): boolean {
  return body[0] === 0xff && body[1] === 0xd8 && body.at(-2) === 0xff && body.at(-1) === 0xd9;
}

/** Width and height from the JPEG's SOF0 segment. */
function jpegSize(body: Buffer): { width: number; height: number } {
  const sof = body.indexOf(Buffer.from([0xff, 0xc0]));
  return { height: body.readUInt16BE(sof + 5), width: body.readUInt16BE(sof + 7) };
}

function jpegComment(body: Buffer): string {
  const com = body.indexOf(Buffer.from([0xff, 0xfe]));
  return body.subarray(com + 4, com + 2 + body.readUInt16BE(com + 2)).toString();
}

describe('the cameras example module', () => {
  let t: TestApp;
  let port: number;
  let session: string;
  const logLines: string[] = [];
  const issued: string[] = [];
  /** Every request a test opened: what a failed test left open is closed after it. */
  const opened: ClientRequest[] = [];
  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp(
      {
        DEMO_CAMERAS: 'Porch, Driveway',
        CAMERA_STREAM_FPS: '20',
        CAMERA_STREAM_RECHECK_SECONDS: '1',
      },
      { logStream },
    );
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    session = (await t.factory.session()).token;
  });
  afterAll(() => t?.close());
  // A test that failed before its abort() would leave its stream open, and every count of
  // open streams after it would be off by one: its failure must stay its own.
  afterEach(async () => {
    const leftOpen = opened.splice(0).filter((req) => !req.destroyed);
    for (const req of leftOpen) req.destroy();
    if (leftOpen.length === 0) return;
    const deadline = Date.now() + 5000;
    while ((await streams()) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  const bearer = { type: 'bearer' } as const;

  async function longLivedToken(owner = session): Promise<{ id: string; token: string }> {
    const res = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(owner, bearer)
      .send({ name: 'Camera card', expires_in_days: 30 })
      .expect(201);
    issued.push(res.body.access_token as string);
    return { id: res.body.id as string, token: res.body.access_token as string };
  }

  function request(path: string, headers: Record<string, string> = {}) {
    return new Promise<{ res: IncomingMessage; req: ClientRequest }>((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port, path, headers }, (res) =>
        resolve({ res, req }),
      );
      opened.push(req);
      req.on('error', reject);
    });
  }

  async function openStream(path: string, headers: Record<string, string> = {}) {
    const { res, req } = await request(path, headers);
    expect(res.statusCode).toBe(200);
    const boundary = /boundary=([^;]+)/.exec(res.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBe('pairgate-frame');
    return new MultipartReader(res, req, boundary!);
  }

  async function expectRefused(path: string, status: number, headers: Record<string, string> = {}) {
    const { res } = await request(path, headers);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    expect(res.statusCode).toBe(status);
    return JSON.parse(Buffer.concat(chunks).toString()) as { error: string; message: string };
  }

  /** Streams being served, as the pairgate_camera_streams_open gauge reports them. */
  const streams = async () => {
    const metric = await t.app
      .get(Metrics)
      .registry.getSingleMetric('pairgate_camera_streams_open')!
      .get();
    return metric.values[0]?.value ?? 0;
  };

  it('registers camera.stream as a long-lived scope, from its own module', () => {
    expect(t.app.get(ScopeRegistry).get('camera.stream')).toEqual({
      name: 'camera.stream',
      description: 'View camera streams',
      longLived: true,
    });
  });

  it('shows the scope in the OAuth metadata and the API document', async () => {
    const metadata = await t.http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(metadata.body.scopes_supported).toContain('camera.stream');

    const doc = (await t.http().get('/api/docs-json').expect(200)).body as OpenAPIObject;
    expect(doc.info.description).toContain('`camera.stream`: View camera streams');
    const list = doc.paths['/api/cameras'].get!;
    const snapshot = doc.paths['/api/cameras/{id}/snapshot'].get!;
    const stream = doc.paths['/api/cameras/{id}/stream'].get!;
    for (const op of [list, snapshot, stream]) {
      expect((op as { 'x-required-scopes'?: string[] })['x-required-scopes']).toEqual([
        'camera.stream',
      ]);
      expect(op.tags).toEqual(['cameras']);
      expect(op.security).toEqual([{ bearer: [] }]);
    }
    const queryToken = (op: typeof list) =>
      (op.parameters ?? []).some((p) => 'name' in p && p.name === 'access_token');
    expect([queryToken(list), queryToken(snapshot), queryToken(stream)]).toEqual([
      false,
      true,
      true,
    ]);
    expect(Object.keys((snapshot.responses['200'] as any).content)).toEqual(['image/jpeg']);
    expect(Object.keys((stream.responses['200'] as any).content)).toEqual([
      'multipart/x-mixed-replace; boundary=pairgate-frame',
    ]);
  });

  it('lists the cameras configured in DEMO_CAMERAS', async () => {
    const res = await t.http().get('/api/cameras').auth(session, bearer).expect(200);
    expect(res.body).toEqual([
      {
        id: '1',
        name: 'Porch',
        snapshot_url: '/api/cameras/1/snapshot',
        stream_url: '/api/cameras/1/stream',
      },
      {
        id: '2',
        name: 'Driveway',
        snapshot_url: '/api/cameras/2/snapshot',
        stream_url: '/api/cameras/2/stream',
      },
    ]);
  });

  it('serves a snapshot: a 320x240 JPEG, not cached, embeddable by other origins', async () => {
    const { token } = await longLivedToken();
    const res = await t
      .http()
      .get(`/api/cameras/2/snapshot?access_token=${token}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const body = res.body as Buffer;
    expect(isJpeg(body)).toBe(true);
    expect(jpegSize(body)).toEqual({ width: 320, height: 240 });
    expect(jpegComment(body)).toContain('camera 2 (Driveway)');
  });

  it('answers 404 for an unknown camera and 400 for a malformed id', async () => {
    const { token } = await longLivedToken();
    const missing = await t.http().get('/api/cameras/3/snapshot').auth(token, bearer).expect(404);
    expect(missing.body).toMatchObject({ error: 'not_found', message: 'Camera not found' });
    await t.http().get('/api/cameras/3/stream').auth(token, bearer).expect(404);
    await t.http().get('/api/cameras/abc/snapshot').auth(token, bearer).expect(400);
    expect(await streams()).toBe(0);
  });

  it('needs camera.stream: a client token without it is refused', async () => {
    const client = await t
      .http()
      .post('/api/client-tokens')
      .auth(session, bearer)
      .send({ name: 'profile reader', scopes: ['me.read'] })
      .expect(201);
    const refused = await t
      .http()
      .get('/api/cameras/1/snapshot')
      .auth(client.body.access_token as string, bearer)
      .expect(403);
    expect(refused.body.error).toBe('insufficient_scope');
    expect(refused.body.message).toContain('camera.stream');
  });

  it('streams multipart JPEG parts to a long-lived token in the query string, until the client leaves', async () => {
    const { token } = await longLivedToken();
    const reader = await openStream(`/api/cameras/1/stream?access_token=${token}`);
    expect(reader.res.headers['content-type']).toBe(
      'multipart/x-mixed-replace; boundary=pairgate-frame',
    );
    expect(reader.res.headers['cache-control']).toBe('no-store');
    expect(reader.res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await reader.waitForParts(3);
    for (const part of reader.parts.slice(0, 3)) {
      expect(part.headers['content-type']).toBe('image/jpeg');
      expect(Number(part.headers['content-length'])).toBe(part.body.length);
      expect(isJpeg(part.body)).toBe(true);
      expect(jpegSize(part.body)).toEqual({ width: 320, height: 240 });
    }
    const comments = reader.parts.slice(0, 3).map((part) => jpegComment(part.body));
    expect(new Set(comments).size).toBe(3); // every part is a new frame
    expect(comments[0]).toContain('camera 1 (Porch)');
    expect(await streams()).toBe(1);

    reader.abort();
    await reader.until(
      async () => (await streams()) === 0,
      'the stream to stop after the client left',
    );
  });

  it('streams to a long-lived token in the Authorization header too', async () => {
    const { token } = await longLivedToken();
    const reader = await openStream('/api/cameras/2/stream', { authorization: `Bearer ${token}` });
    await reader.waitForParts(2);
    expect(jpegComment(reader.parts[1].body)).toContain('camera 2 (Driveway)');
    reader.abort();
    await reader.until(async () => (await streams()) === 0, 'the stream to stop');
  });

  it('refuses a session or client token in the query string', async () => {
    expect(
      (await expectRefused(`/api/cameras/1/stream?access_token=${session}`, 401)).message,
    ).toContain('Only long-lived tokens');
    const client = await t
      .http()
      .post('/api/client-tokens')
      .auth(session, bearer)
      .send({ name: 'camera app', scopes: ['camera.stream'] })
      .expect(201);
    await expectRefused(`/api/cameras/1/stream?access_token=${client.body.access_token}`, 401);
    // The same client token in the header is fine.
    const reader = await openStream('/api/cameras/1/stream', {
      authorization: `Bearer ${client.body.access_token}`,
    });
    await reader.waitForParts(1);
    reader.abort();
    await reader.until(async () => (await streams()) === 0, 'the stream to stop');
  });

  it('ends an open stream when its token is revoked, and opens no new one', async () => {
    const { id, token } = await longLivedToken();
    const reader = await openStream(`/api/cameras/1/stream?access_token=${token}`);
    await reader.waitForParts(1);
    await t.http().delete(`/api/long-lived-tokens/${id}`).auth(session, bearer).expect(204);
    // Checked every second here (CAMERA_STREAM_RECHECK_SECONDS): it ends within a few.
    await reader.until(() => reader.ended, 'the revoked stream to end');
    expect(reader.closedProperly).toBe(true);
    expect(await streams()).toBe(0);

    const refused = await expectRefused(`/api/cameras/1/stream?access_token=${token}`, 401);
    expect(refused.error).toBe('invalid_token');
    await expectRefused(`/api/cameras/1/snapshot?access_token=${token}`, 401);
    await expectRefused('/api/cameras/1/stream', 401, { authorization: `Bearer ${token}` });
    expect(logLines.some((l) => l.includes('camera stream ended: the token no longer holds'))).toBe(
      true,
    );
  });

  it('ends an open stream when its user is disabled', async () => {
    const owner = await t.factory.session();
    const admin = await t.factory.session({ role: 'admin' });
    const { token } = await longLivedToken(owner.token);
    const reader = await openStream(`/api/cameras/2/stream?access_token=${token}`);
    await reader.waitForParts(1);
    await t
      .http()
      .patch(`/api/admin/users/${owner.user.id}`)
      .auth(admin.token, bearer)
      .send({ disabled: true })
      .expect(200);
    await reader.until(() => reader.ended, "the disabled user's stream to end");
    expect(await streams()).toBe(0);
  });

  it('ends an open stream when its token expires', async () => {
    const { token } = await longLivedToken();
    const reader = await openStream(`/api/cameras/1/stream?access_token=${token}`);
    await reader.waitForParts(1);
    t.clock.advanceSeconds(31 * 86_400); // past the token's 30 days
    await reader.until(() => reader.ended, 'the expired stream to end');
    expect(await streams()).toBe(0);
    session = (await t.factory.session()).token; // the old session expired too
  });

  it('ends open streams with the closing boundary when the app shuts down', async () => {
    const { token } = await longLivedToken();
    const reader = await openStream(`/api/cameras/1/stream?access_token=${token}`);
    await reader.waitForParts(1);
    t.app.get(CamerasService).onModuleDestroy();
    await reader.until(() => reader.ended, 'the response to end');
    expect(reader.closedProperly).toBe(true);
    expect(await streams()).toBe(0);
  });

  it('logs who opened and closed each stream, and never a token', () => {
    const text = logLines.join('\n');
    expect(issued.length).toBeGreaterThan(5);
    for (const token of issued) expect(text).not.toContain(token);
    const lines = logLines.map(
      (line) => JSON.parse(line) as { msg?: string; req?: { url: string }; frames?: number },
    );
    for (const line of lines) expect(line.req?.url ?? '').not.toMatch(/pgl_/);
    const opened = lines.filter((line) => line.msg === 'camera stream opened');
    const closed = lines.filter((line) => line.msg === 'camera stream closed');
    expect(opened.length).toBeGreaterThanOrEqual(5);
    expect(closed).toHaveLength(opened.length);
    expect(closed[0]).toMatchObject({
      cameraId: '1',
      userId: expect.any(String),
      tokenId: expect.any(String),
    });
    expect(closed[0].frames).toBeGreaterThanOrEqual(3);
  });
});

describe.runIf(await redisAnswers())('camera streams across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = { REDIS_URL, CAMERA_STREAM_RECHECK_SECONDS: '1' };
    a = await createTestApp(env);
    b = await createTestApp(env, { database: a.database });
    await b.app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('ends a stream open on one instance when the token is revoked on the other', async () => {
    const { token: session } = await a.factory.session();
    const created = await a
      .http()
      .post('/api/long-lived-tokens')
      .auth(session, { type: 'bearer' })
      .send({ name: 'Camera card', expires_in_days: 30 })
      .expect(201);
    const port = (b.app.getHttpServer().address() as AddressInfo).port;
    const token = created.body.access_token as string;
    const { res, req } = await new Promise<{ res: IncomingMessage; req: ClientRequest }>(
      (resolve, reject) => {
        const request = httpGet(
          { host: '127.0.0.1', port, path: `/api/cameras/1/stream?access_token=${token}` },
          (response) => resolve({ res: response, req: request }),
        );
        request.on('error', reject);
      },
    );
    expect(res.statusCode).toBe(200);
    const reader = new MultipartReader(res, req, 'pairgate-frame');
    await reader.waitForParts(1);
    await a
      .http()
      .delete(`/api/long-lived-tokens/${String(created.body.id)}`)
      .auth(session, { type: 'bearer' })
      .expect(204);
    await reader.until(() => reader.ended, 'the stream on the other instance to end');
    expect(reader.closedProperly).toBe(true);
  });
});
