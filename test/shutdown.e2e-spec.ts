import { request as httpRequest } from 'node:http';
import Database from 'better-sqlite3';
import { startServer, type ServerProcess } from './support/built-server.js';

interface Sent {
  /** Resolves when the request's bytes are on the wire. */
  written: Promise<void>;
  answered: Promise<{ status: number; body: string } | { error: string }>;
}

function send(url: string, path: string, body: unknown): Sent {
  let markWritten!: () => void;
  const written = new Promise<void>((r) => (markWritten = r));
  const answered = new Promise<{ status: number; body: string } | { error: string }>((done) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      `${url}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => done({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', (err) => done({ error: err.message }));
    req.end(payload, markWritten);
  });
  return { written, answered };
}

describe('shutdown on SIGTERM', () => {
  let server: ServerProcess;
  afterAll(async () => server?.stop());

  it('finishes the requests in flight, flushes, and exits 0', async () => {
    server = await startServer({
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'a long enough password',
      LOGIN_RATE_LIMIT_PER_IP: '1000',
      LOGIN_RATE_LIMIT_PER_USERNAME: '1000',
    });
    // Password hashing makes each login take a while: twenty of them are in flight together.
    const sent = Array.from({ length: 20 }, () =>
      send(server.url, '/api/auth/login', {
        username: 'admin',
        password: 'a long enough password',
      }),
    );
    await Promise.all(sent.map((s) => s.written));
    await new Promise((r) => setTimeout(r, 100));
    server.child.kill('SIGTERM');

    const answers = await Promise.all(sent.map((s) => s.answered));
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');

    // Requests the server had taken were answered; any it had not yet taken were refused
    // before anything happened (a reset or a 503), never cut off half-done.
    const outcomes = answers.map((a) => ('status' in a ? a.status : 'refused'));
    const answered = outcomes.filter((o) => o === 200).length;
    expect(answered).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== 200 && o !== 503 && o !== 'refused')).toEqual([]);
    const db = new Database(server.sqliteFile!, { readonly: true });
    const logins = db
      .prepare(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'auth.login' AND outcome = 'success'",
      )
      .get() as { n: number };
    db.close();
    expect(logins.n).toBe(answered);
    // Stopped accepting: nothing answers on the port any more.
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  });
});
