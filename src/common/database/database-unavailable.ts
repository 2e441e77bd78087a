/** Driver error codes that mean "the database cannot be reached now", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set([
  // mysql2 / network
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  // better-sqlite3
  'SQLITE_BUSY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
]);

const UNAVAILABLE_MESSAGES = [
  /Pool is closed/i,
  /Can't add new command when connection is in closed state/i,
  /connect ECONNREFUSED/i,
  /Connection lost/i,
];

/**
 * Whether an error (as TypeORM or the driver throws it) says the database is unreachable,
 * so the request can be answered 503 with Retry-After instead of a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      UNAVAILABLE_MESSAGES.some((re) => re.test(e!.message as string))
    ) {
      return true;
    }
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}
