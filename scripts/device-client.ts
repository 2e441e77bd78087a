/**
 * The reference device client: pairs this terminal as a TV would (RFC 8628).
 *
 *   npm run device -- --server http://localhost:3000 --scopes me.read,devices.read
 *   npm run device -- --server https://pair.example.com --client-id my-tv-app --oauth
 *
 * It asks for a code, prints the pairing link, the code and a QR code, polls politely
 * (waiting `interval`, growing it on slow_down, honouring Retry-After), then shows who it is
 * with the new token. `--oauth` uses the standard endpoints (/oauth/device_authorization,
 * /oauth/token) instead of the JSON API; both reach the same service.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: 'http://localhost:3000' },
    scopes: { type: 'string', default: 'me.read,devices.read' },
    'client-id': { type: 'string' },
    'client-name': { type: 'string', default: 'pairgate reference device client' },
    identifier: { type: 'string', default: `${hostname()}-device-client` },
    name: { type: 'string' },
    oauth: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run device -- [options]

  --server <url>        pairgate base URL (default http://localhost:3000)
  --scopes <a,b>        scopes to ask for (default me.read,devices.read)
  --client-id <id>      client_id to present (required with --oauth)
  --client-name <name>  app name shown on the approval page
  --identifier <id>     stable device identifier (default <hostname>-device-client)
  --name <name>         device name shown on the approval page
  --oauth               use /oauth/device_authorization and /oauth/token`);
  process.exit(0);
}

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  scope?: string;
  expires_in?: number;
  device_id?: string;
}

const server = args.server.replace(/\/+$/, '');
const scopes = args.scopes
  .split(/[,\s]+/)
  .map((s) => s.trim())
  .filter(Boolean);
const clientId = args['client-id'] ?? (args.oauth ? 'pairgate-device-client' : undefined);
const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

async function post(
  path: string,
  body: Record<string, unknown>,
  form: boolean,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(`${server}${path}`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      'user-agent': `pairgate-device-client/${version}`,
    },
    body: form
      ? new URLSearchParams(
          Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
        ).toString()
      : JSON.stringify(body),
    redirect: 'error',
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { error: 'unreadable_response', error_description: text.slice(0, 200) };
  }
  return { status: res.status, headers: res.headers, json };
}

function fail(message: string): never {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

async function requestCodes(): Promise<DeviceAuthorization> {
  const res = args.oauth
    ? await post(
        '/oauth/device_authorization',
        {
          client_id: clientId,
          scope: scopes.join(' '),
          device_identifier: args.identifier,
          device_name: args.name,
        },
        true,
      )
    : await post(
        '/api/auth/device/init',
        {
          ...(clientId ? { client_id: clientId } : {}),
          client_device_identifier: args.identifier,
          client_name: args['client-name'],
          ...(args.name ? { device_name: args.name } : {}),
          platform: `${process.platform}-${process.arch}`,
          client_version: version,
          scopes,
        },
        false,
      );
  if (res.status !== 200) {
    const reason =
      (res.json.error_description as string) ??
      (res.json.message as string) ??
      `HTTP ${res.status}`;
    fail(`The server refused to start pairing: ${reason}`);
  }
  return res.json as unknown as DeviceAuthorization;
}

async function show(codes: DeviceAuthorization): Promise<void> {
  const link = codes.verification_uri_complete ?? codes.verification_uri;
  const qr = await QRCode.toString(link, { type: 'terminal', small: true });
  console.log('\nPair this device with your account\n');
  console.log(qr);
  console.log(`  Scan the code, or open  ${codes.verification_uri}`);
  console.log(`  and enter               ${codes.user_code}\n`);
  console.log(`  The code expires in ${Math.round(codes.expires_in / 60)} minutes.\n`);
}

async function poll(codes: DeviceAuthorization): Promise<TokenResponse> {
  let interval = codes.interval ?? 5;
  const deadline = Date.now() + codes.expires_in * 1000;
  process.stdout.write('Waiting for approval');
  while (Date.now() < deadline) {
    await sleep(interval);
    let res;
    try {
      res = args.oauth
        ? await post(
            '/oauth/token',
            { grant_type: GRANT, device_code: codes.device_code, client_id: clientId },
            true,
          )
        : await post(
            '/api/auth/device/token',
            { device_code: codes.device_code, ...(clientId ? { client_id: clientId } : {}) },
            false,
          );
    } catch (err) {
      // The network dropped: keep polling at the same pace (RFC 8628 §3.5 suggests backing off).
      interval = Math.min(interval * 2, 60);
      process.stdout.write(`\n  network problem (${(err as Error).message}); retrying`);
      continue;
    }
    if (res.status === 200) {
      process.stdout.write('\n');
      return res.json as unknown as TokenResponse;
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    const error = res.json.error as string | undefined;
    switch (error) {
      case 'authorization_pending':
        process.stdout.write('.');
        break;
      case 'slow_down':
        // Keep the interval the server names, else add 5 s as RFC 8628 says.
        interval =
          typeof res.json.interval === 'number' ? res.json.interval : Math.min(interval + 5, 60);
        if (res.status === 429 && retryAfter > 0) interval = Math.max(interval, retryAfter);
        process.stdout.write(`\n  asked to slow down: polling every ${interval} s`);
        break;
      case 'access_denied':
        fail('The request was denied.');
        break;
      case 'expired_token':
        fail('The code expired before it was approved. Run the client again.');
        break;
      default: {
        const description =
          typeof res.json.error_description === 'string' ? ` (${res.json.error_description})` : '';
        fail(`Pairing failed: ${error ?? `HTTP ${res.status}`}${description}`);
      }
    }
  }
  fail('The code expired before it was approved. Run the client again.');
}

async function whoAmI(token: TokenResponse): Promise<void> {
  const res = await fetch(`${server}/api/users/me`, {
    headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
  });
  if (!res.ok) fail(`The new token was refused by /api/users/me (HTTP ${res.status}).`);
  const me = (await res.json()) as {
    username: string;
    role: string;
    scopes: string[];
    token_kind: string;
    current_device_id: string | null;
  };
  console.log(`\n✓ Paired. This device is signed in as ${me.username} (${me.role}).`);
  console.log(`  scopes: ${me.scopes.join(' ')}`);
  console.log(`  device: ${me.current_device_id ?? token.device_id ?? 'none'}`);
  console.log(
    `  token expires: ${token.expires_in ? `in ${Math.round(token.expires_in / 86400)} days` : 'never'}`,
  );
  console.log(
    `\n  Access token (shown once; a real device would store it securely):\n  ${token.access_token}\n`,
  );
}

const codes = await requestCodes();
await show(codes);
const token = await poll(codes);
await whoAmI(token);
