import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitFor } from './private-redis.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/src/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the app (`nest build`) when dist/ is missing or older than src/ or migrations/, so
 * tests of the real process work on a fresh clone; one build at a time across test workers.
 */
export async function ensureBuilt(): Promise<void> {
  const stale = () =>
    !existsSync(MAIN) ||
    statSync(MAIN).mtimeMs <
      Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'migrations')));
  if (!stale()) return;
  const lock = join(ROOT, 'dist.build.lock');
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (stale()) execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'ignore' });
  } finally {
    rmSync(lock, { force: true });
  }
}

export interface ServerProcess {
  url: string;
  /** The SQLite file the process uses, when startServer made one. */
  sqliteFile: string | null;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/src/main.js` as an operator would, on a free port and (unless the env
 * names one) a fresh SQLite file, and waits until /health/live answers.
 */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  await ensureBuilt();
  const port = await freePort();
  const dataDir = env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'pairgate-server-'));
  const sqliteFile = dataDir ? join(dataDir, 'pairgate.sqlite') : null;
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      TOKEN_PEPPER: process.env.TOKEN_PEPPER,
      AUDIT_KEY: process.env.AUDIT_KEY,
      ...(sqliteFile ? { DATABASE_URL: `sqlite:${sqliteFile}` } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor(
    async () => {
      if (gone) throw new Error(`server exited at start:\n${output}`);
      return fetch(`${url}/health/live`).then(
        (res) => res.ok,
        () => false,
      );
    },
    `the server on port ${port}`,
    60_000,
  );
  return {
    url,
    sqliteFile,
    port,
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the built process with an environment it should refuse; resolves with how it ended. */
export async function runRefusedServer(
  env: Record<string, string>,
): Promise<{ code: number | string; output: string }> {
  await ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'pairgate-refused-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${join(dataDir, 'pairgate.sqlite')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | string>((done) =>
    child.once('exit', (exitCode, signal) => done(exitCode ?? signal ?? -1)),
  );
  clearTimeout(timer);
  rmSync(dataDir, { recursive: true, force: true });
  return { code, output };
}
