import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * What is wrong with a database or Redis URL, in words, or null when it is usable: the
 * scheme, a host, a port in range, a database name. Everything a driver would otherwise
 * discover at connect time, with a stack trace that prints the URL.
 */
export function serviceUrlProblem(value: unknown, kind: 'database' | 'redis'): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (kind === 'database' && value.startsWith('sqlite:')) {
    return value.length > 'sqlite:'.length ? null : 'needs a file path after sqlite:';
  }
  const schemes = kind === 'database' ? ['mysql:', 'mariadb:'] : ['redis:', 'rediss:'];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const port = /:(\d+)(?:[/?]|$)/.exec(value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''))?.[1];
    return port && Number(port) > 65535 ? 'has a port outside 1-65535' : 'is not a URL';
  }
  if (!schemes.includes(url.protocol)) {
    return `must start with ${schemes.map((s) => `${s}//`).join(' or ')}${kind === 'database' ? ' (or be sqlite:<path>)' : ''}`;
  }
  if (!url.hostname) return 'needs a host';
  if (url.port && (Number(url.port) < 1 || Number(url.port) > 65535)) {
    return 'has a port outside 1-65535';
  }
  if (kind === 'database' && !/^\/[A-Za-z0-9_$-]+$/.test(url.pathname)) {
    return 'needs a database name (letters, digits, _ $ -) after the host, e.g. /pairgate';
  }
  if (kind === 'redis' && !/^(\/\d*)?$/.test(url.pathname)) {
    return 'may end only with a database number, e.g. /0';
  }
  return null;
}

/** A URL with its password replaced by ***, safe to print. */
export function maskUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

export function IsServiceUrl(kind: 'database' | 'redis', options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isServiceUrl',
      validator: {
        validate: (value) => serviceUrlProblem(value, kind) === null,
        defaultMessage: (args) =>
          `${args?.property ?? 'the URL'} ${serviceUrlProblem(args?.value, kind) ?? 'is not usable'}`,
      },
    },
    options,
  );
}
