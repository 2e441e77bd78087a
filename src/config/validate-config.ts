import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { maskUrl } from './service-url.js';

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/** `@Transform(toBoolean)`: true/false/yes/no/on/off/1/0, any case; empty is unset. */
export const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.toLowerCase();
  if (word === '') return undefined;
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : value;
};

/** `@Transform(toInt)`: a whole number, or left as text for `@IsInt()` to refuse; empty is unset. */
export const toInt = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
};

/** `@Transform(emptyToUndefined)`: `NAME=` means unset, so the default applies. */
export const emptyToUndefined = ({ value }: { value: unknown }) =>
  value === '' ? undefined : value;

/** Variables whose values are secrets: a message names them and never shows the value. */
const SECRET_NAME = /PASSWORD|PEPPER|SECRET|KEY|TOKEN/;

/** `NAME="value"` for a plain setting, `NAME` for a secret, a URL with its password masked. */
function shown(name: string, value: unknown): string {
  if (value === undefined) return name;
  if (SECRET_NAME.test(name)) return `${name} (value hidden)`;
  if (name.endsWith('_URL') && typeof value === 'string') return `${name}="${maskUrl(value)}"`;
  return `${name}=${JSON.stringify(value)}`;
}

/** The error every configuration problem becomes: one line per variable, named. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
  }
}

/**
 * Reads the variables a settings class declares (class-validator decorators, defaults as
 * property initialisers) from `env`, or throws a ConfigurationError naming each bad one.
 * Core configuration and every module's `<module>.config.ts` go through it.
 */
export function validateConfig<T extends object>(
  settings: new () => T,
  env: Record<string, unknown>,
): T {
  const instance = plainToInstance(settings, env, {
    exposeDefaultValues: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new ConfigurationError(
      errors.map(
        (e) => `${shown(e.property, e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
      ),
    );
  }
  return instance;
}

/** `process.env`, typed for validateConfig. */
export function processEnv(): Record<string, unknown> {
  return process.env as Record<string, unknown>;
}
