// PostgreSQL SQLSTATE codes of failures that a later attempt may not meet.
// https://www.postgresql.org/docs/15/errcodes-appendix.html
const POSTGRES_CONFLICT_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const POSTGRES_UNAVAILABLE_CODES = new Set([
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '58000', // system_error
  '58030', // io_error
]);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// SQLite has already waited its busy timeout before it says so: no retry.
const SQLITE_BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A transaction that lost a race with another one (deadlock, serialisation
 * failure): running it again is safe and usually succeeds.
 */
export function isWriteConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && POSTGRES_CONFLICT_CODES.has(code);
}

/**
 * A failure of the database rather than of the request: the server is down,
 * restarting, out of connections or overloaded. The client should try again
 * later (503), and nothing of the request was stored.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = codeOf(error);
  if (code !== undefined) {
    if (
      isWriteConflict(error) ||
      POSTGRES_UNAVAILABLE_CODES.has(code) ||
      SQLITE_BUSY_CODES.has(code) ||
      SOCKET_CODES.has(code)
    ) {
      return true;
    }
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'KnexTimeoutError') return true; // no pooled connection in time
  return (
    typeof message === 'string' &&
    /Connection terminated|Client has encountered a connection error|Unable to acquire a connection|timeout exceeded when trying to connect|database system is (starting up|shutting down)/i.test(
      message,
    )
  );
}

/**
 * Runs a transaction, again when it lost a race with another one (at most
 * `attempts` times, with a short random pause so that the two do not meet
 * again). Any other failure is thrown at once.
 */
export async function retryOnWriteConflict<T>(
  run: () => Promise<T>,
  options: { attempts?: number; pauseMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const pauseMs = options.pauseMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isWriteConflict(error)) throw error;
      await new Promise(resolve => setTimeout(resolve, pauseMs * attempt * (0.5 + Math.random())));
    }
  }
}
