import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Response } from 'supertest';
import { RELAXED_LIMITS } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Hostile input for every operation in docs/openapi.json, with and without a valid token:
 * nothing answers 5xx, every refusal is in the error shape (the OAuth shape on the OAuth
 * endpoints), and a refused request leaves the database as it was.
 */

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
}
interface Operation {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as Document;
const resolve = (schema: Schema): Schema =>
  schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]) : schema;

/** A value of the wrong type for a schema. */
function wrongType(schema: Schema): unknown {
  const s = resolve(schema);
  switch (s.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return 'not a number';
    case 'boolean':
      return 'maybe';
    case 'array':
      return { not: 'an array' };
    default:
      return ['not', 'an', 'object'];
  }
}

/** A plausible value, so "extra field" bodies are otherwise well-formed. */
function plausible(schema: Schema): unknown {
  const s = resolve(schema);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'string':
      return 'fuzz';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(s.items ?? { type: 'string' })];
    default:
      return {};
  }
}

function deepArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

interface Variant {
  name: string;
  contentType: string;
  body: string | Buffer;
}

function bodyVariants(op: Operation): Variant[] {
  const content = op.requestBody?.content ?? {};
  const json = content['application/json'];
  const form = content['application/x-www-form-urlencoded'];
  const schema = resolve((json ?? form)?.schema ?? { type: 'object' });
  const props = schema.properties ?? {};
  const names = Object.keys(props);
  const wrong = Object.fromEntries(names.map((n) => [n, wrongType(props[n])]));
  const valid = Object.fromEntries(names.map((n) => [n, plausible(props[n])]));
  const huge = 'a'.repeat(1024 * 1024);
  const variants: Variant[] = [
    { name: 'deep nesting', contentType: 'application/json', body: deepArrays(1500) },
    {
      name: 'deep objects',
      contentType: 'application/json',
      body: '{"a":'.repeat(1000) + '1' + '}'.repeat(1000),
    },
    {
      name: '__proto__ and constructor keys',
      contentType: 'application/json',
      body: `{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"admin":true}}${names.length ? `,${JSON.stringify(names[0])}:"x"` : ''}}`,
    },
    {
      name: 'invalid UTF-8',
      contentType: 'application/json',
      body: Buffer.concat([
        Buffer.from(`{"${names[0] ?? 'name'}":"`),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from('"}'),
      ]),
    },
    { name: 'wrong content type', contentType: 'text/plain', body: 'just text' },
    { name: 'xml', contentType: 'application/xml', body: '<a>1</a>' },
    { name: 'not JSON', contentType: 'application/json', body: '{"unterminated' },
    { name: 'a JSON string', contentType: 'application/json', body: '"text"' },
    { name: 'null', contentType: 'application/json', body: 'null' },
    {
      name: '1 MB string',
      contentType: 'application/json',
      body: JSON.stringify({ [names[0] ?? 'x']: huge }),
    },
  ];
  if (json || !form) {
    variants.push(
      { name: 'empty object', contentType: 'application/json', body: '{}' },
      { name: 'wrong types', contentType: 'application/json', body: JSON.stringify(wrong) },
      {
        name: 'extra field',
        contentType: 'application/json',
        body: JSON.stringify({ ...valid, zz_unexpected: true }),
      },
    );
  }
  if (form) {
    const encode = (o: Record<string, unknown>) =>
      Object.entries(o)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&');
    const type = 'application/x-www-form-urlencoded';
    variants.push(
      { name: 'empty form', contentType: type, body: '' },
      {
        name: 'form with extra field',
        contentType: type,
        body: `${encode(valid)}&zz_unexpected=1`,
      },
      {
        name: 'form with repeated fields',
        contentType: type,
        body: `${encode(valid)}&${encode(valid)}`,
      },
      {
        name: 'form with bad percent-encoding',
        contentType: type,
        body: `${names[0] ?? 'x'}=%FF%FE%`,
      },
      {
        name: 'form with __proto__',
        contentType: type,
        body: '__proto__[admin]=1&constructor[prototype][x]=1',
      },
      { name: 'form 1 MB', contentType: type, body: `${names[0] ?? 'x'}=${huge}` },
    );
  }
  return variants;
}

function queryVariants(op: Operation): string[] {
  const params = (op.parameters ?? []).filter((p) => p.in === 'query' && p.name !== 'access_token');
  if (params.length === 0) return [];
  const long = 'x'.repeat(10_000);
  return [
    params
      .map((p) => `${p.name}=${encodeURIComponent(String(wrongType(p.schema ?? {})))}`)
      .join('&'),
    params.map((p) => `${p.name}=a&${p.name}=b`).join('&'),
    params.map((p) => `${p.name}=${long}`).join('&'),
    params.map((p) => `${p.name}=%FF%00`).join('&'),
    params.map((p) => `${p.name}[__proto__][admin]=1`).join('&'),
  ];
}

const OAUTH_PATHS = ['/oauth/', '/api/auth/device/token'];
const isOAuth = (path: string) => OAUTH_PATHS.some((p) => path.startsWith(p));

function shapeProblem(path: string, res: Response): string | null {
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status < 400) return null;
  const body = res.body as Record<string, unknown>;
  const common =
    typeof body?.statusCode === 'number' &&
    body.statusCode === res.status &&
    typeof body.error === 'string' &&
    typeof body.message === 'string';
  const oauth =
    isOAuth(path) &&
    typeof body?.error === 'string' &&
    (body.error_description === undefined || typeof body.error_description === 'string');
  return common || oauth
    ? null
    : `a ${res.status} outside the error shape: ${res.text.slice(0, 200)}`;
}

/** Activity columns change on any authenticated request; everything else must not. */
const VOLATILE = new Set([
  'last_used_at',
  'last_used_ip',
  'last_seen_at',
  'interval_seconds',
  'last_polled_at',
]);

describe('fuzzing every operation of the API document', () => {
  let t: TestApp;
  let token: string;
  let tables: string[];
  beforeAll(async () => {
    t = await createTestApp({ ...RELAXED_LIMITS, CAMERA_STREAM_MAX_SECONDS: '1' });
    token = (await t.factory.session({ role: 'admin' })).token;
    tables = t.db.entityMetadatas
      .map((m) => m.tableName)
      .filter((name) => !name.startsWith('audit_'))
      .sort();
  });
  afterAll(() => t?.close());

  /** A fingerprint of every table but the audit log (failures are audited on purpose). */
  async function fingerprint(): Promise<string> {
    const hash = createHash('sha256');
    for (const table of tables) {
      const rows = (await t.db.query(`SELECT * FROM ${table}`)) as Array<Record<string, unknown>>;
      const stable = rows
        .map((row) =>
          JSON.stringify(
            Object.entries(row)
              .filter(([k]) => !VOLATILE.has(k))
              .sort(([a], [b]) => a.localeCompare(b)),
          ),
        )
        .sort();
      hash.update(table).update(stable.join('\n'));
    }
    return hash.digest('hex');
  }

  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s refuses hostile input without a 5xx or a change',
    async (_, { path, method, op }) => {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const problems: string[] = [];
      const before = await fingerprint();
      let changed = false;
      for (const auth of [false, true]) {
        const send = (target: string, variant?: Variant) => {
          let req = t.http()[method as 'post'](target);
          if (auth) req = req.auth(token, { type: 'bearer' });
          return variant ? req.set('content-type', variant.contentType).send(variant.body) : req;
        };
        const attempts: Array<[string, Promise<Response>]> = [];
        if (op.requestBody || ['post', 'patch', 'put'].includes(method)) {
          for (const variant of bodyVariants(op)) attempts.push([variant.name, send(url, variant)]);
        }
        for (const query of queryVariants(op))
          attempts.push([`query ${query.slice(0, 40)}`, send(`${url}?${query}`)]);
        for (const [name, pending] of attempts) {
          const res = await pending;
          const problem = shapeProblem(path, res);
          if (problem) problems.push(`${auth ? 'with' : 'without'} a token, ${name}: ${problem}`);
          if (res.status < 400) changed = true;
        }
      }
      expect(problems).toEqual([]);
      // Only refused requests were sent (or the operation reads): nothing may have changed.
      if (!changed) expect(await fingerprint()).toBe(before);
    },
  );
});
