import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { redisAnswers } from './redis.js';

/**
 * Ports below the kernel's ephemeral range (where `listen(0)` and every outgoing
 * connection take theirs), so a port a test picked cannot be taken by an outgoing
 * connection before the process meant for it listens.
 */
function testPortRange(): [number, number] {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);
  } catch {
    // Not Linux: assume the usual range.
  }
  return low > 12_000 ? [10_000, low - 1] : [0, 0];
}

function listenOn(port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' ? resolve(null) : reject(err),
    );
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * A free TCP port on the loopback interface, held by a listener until `release()`: while it
 * is held nothing else gets it. Drawn at random below the ephemeral range (falling back to
 * one the kernel picks), so once released only another test drawing the same port could
 * take it.
 */
export async function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  const [low, high] = testPortRange();
  let server: Server | null = null;
  for (let attempt = 0; !server && attempt < 20 && high > low; attempt++) {
    server = await listenOn(low + Math.floor(Math.random() * (high - low + 1)));
  }
  server ??= await listenOn(0);
  if (!server) throw new Error('no free port');
  const held = server;
  const { port } = held.address() as { port: number };
  return { port, release: () => new Promise((resolve) => held.close(() => resolve())) };
}

/** A free TCP port on the loopback interface, for a process that will listen on it. */
export async function freePort(): Promise<number> {
  const { port, release } = await reservePort();
  await release();
  return port;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A redis-server of the test's own, on its own port, that the test can stop and start again
 * (on the same port) to play an outage. Keeps nothing on disk.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static available(): Promise<boolean> {
    return new Promise((resolve) => {
      const probe = spawn('redis-server', ['--version']);
      probe.on('error', () => resolve(false));
      probe.on('exit', (code) => resolve(code === 0));
    });
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(() => redisAnswers(this.url), `redis on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

export { waitFor };
