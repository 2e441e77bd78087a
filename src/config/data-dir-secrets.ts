import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedSecrets {
  token_pepper: string;
  audit_key: string;
}

/**
 * On the embedded default the keys are generated once and kept beside the database, so a
 * restart does not invalidate every token. Production must pass them in (see environment.ts).
 */
export function loadOrCreateSecrets(dataDir: string): GeneratedSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<GeneratedSecrets>;
    if (parsed.token_pepper && parsed.audit_key) return parsed as GeneratedSecrets;
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: GeneratedSecrets = {
    token_pepper: randomBytes(32).toString('base64url'),
    audit_key: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'w' });
  chmodSync(file, 0o600);
  return secrets;
}
