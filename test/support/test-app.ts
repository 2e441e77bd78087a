import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent.js';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AuditSealer } from '../../src/audit/audit-sealer.js';
import { ActivityRecorder } from '../../src/auth/activity-recorder.js';
import { Clock } from '../../src/common/clock.js';
import { Factory } from './factory.js';
import { reservePort } from './private-redis.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { TestClock } from './test-clock.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => TestAgent;
  clock: TestClock;
  db: DataSource;
  database: TestDatabase;
  factory: Factory;
  /** Waits for the debounced activity writes under way. */
  flushActivity(): Promise<void>;
  /** Chains what is committed but not sealed yet (refusals are recorded in the background). */
  sealAudit(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Capture the app's logs (at info level) instead of discarding them. */
  logStream?: DestinationStream;
  /** Share another test app's database (a second instance of the service); not dropped on close. */
  database?: TestDatabase;
}

/**
 * A test app listening on a real loopback port, with PUBLIC_URL pointing at it (for clients
 * that follow the URLs the server advertises). The port stays reserved while the app boots
 * and is handed over just before it listens: booting takes a second or more, long enough
 * for another test or an outgoing connection to take a port that was only looked up.
 */
export async function createServedTestApp(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; baseUrl: string }> {
  const { port, release } = await reservePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let t: TestApp;
  try {
    t = await createTestApp({ PUBLIC_URL: baseUrl, ...env });
  } finally {
    await release();
  }
  await t.app.listen(port, '127.0.0.1');
  return { t, baseUrl };
}

/**
 * Boots the real AppModule on a fresh database (migrated at start, as in production) with an
 * injectable clock, and speaks HTTP to it through supertest.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  process.env.DATABASE_URL = database.url;
  Object.assign(process.env, env);
  // Imported after the environment is set: config is read when the module is built.
  const { AppModule } = await import('../../src/app.module.js');
  const { configureApp, createFastifyAdapter } = await import('../../src/app.setup.js');
  const clock = new TestClock();
  // The adapter (and its logger) first: the logger module is built from it.
  const adapter = createFastifyAdapter(
    {
      // TRUST_PROXY=true lets a test speak from several addresses with X-Forwarded-For.
      trustProxy: env.TRUST_PROXY === 'true',
      logLevel: options.logStream ? 'info' : 'silent',
      prettyLogs: false,
    },
    options.logStream,
  );
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // Put back what this app's env replaced (TOKEN_PEPPER, say), for the next app in the file.
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const http = () => request(app.getHttpServer());
  const testApp: TestApp = {
    app,
    http,
    clock,
    db: app.get(DataSource),
    database,
    factory: undefined as unknown as Factory,
    flushActivity: () => app.get(ActivityRecorder).flush(),
    sealAudit: () => app.get(AuditSealer).seal(),
    close: async () => {
      await app.get(ActivityRecorder).flush();
      await app.close();
      if (!options.database) await database.drop();
    },
  };
  testApp.factory = new Factory(testApp);
  return testApp;
}

/** The address supertest's requests come from, as the service records it. */
export const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$/;
