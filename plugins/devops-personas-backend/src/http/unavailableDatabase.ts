import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import { isDatabaseUnavailable } from '../database/databaseErrors';

/** Seconds a client is asked to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Turns a failure of the plugin's database (down, restarting, out of
 * connections, still deadlocked after retries) into 503 with `Retry-After`:
 * the client did nothing wrong, and nothing of its request was stored. The
 * database's own message goes to the log, not to the client.
 */
export function unavailableDatabase(logger: LoggerService): express.ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!isDatabaseUnavailable(error)) {
      next(error);
      return;
    }
    logger.warn('Database unavailable', { method: req.method, path: req.path, error: String(error) });
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    const what = req.method === 'GET' ? 'nothing could be read' : 'nothing was stored';
    next(
      new ServiceUnavailableError(
        `The DevOps Personas database is unavailable or busy; ${what}. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
      ),
    );
  };
}
