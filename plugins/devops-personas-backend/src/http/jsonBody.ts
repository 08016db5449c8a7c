import { CustomErrorBase, InputError } from '@backstage/errors';
import express from 'express';

/** 415: a body this endpoint cannot read. Backstage's error handler uses `statusCode`. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415;
}

/** 413: a body larger than the endpoint takes. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Reads a JSON body of at most `limit` (an express size such as `25mb`):
 * `Content-Type: application/json` in UTF-8 (the only charset JSON allows
 * between systems, RFC 8259) or 415; malformed JSON is a 400 naming the
 * problem; too large a body is a 413 saying how to split it.
 */
export function jsonBody(limit: string): express.RequestHandler[] {
  const checkType: express.RequestHandler = (req, _res, next) => {
    const header = req.headers['content-type'] ?? '';
    const [type, ...params] = header.split(';').map(part => part.trim());
    if (!JSON_TYPE.test(type)) {
      next(
        new UnsupportedMediaTypeError(
          `Content-Type must be application/json; got ${header ? `"${header}"` : 'none'}`,
        ),
      );
      return;
    }
    const charset = params
      .map(param => /^charset\s*=\s*"?([^";]*)"?$/i.exec(param)?.[1])
      .find(value => value !== undefined);
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      next(new UnsupportedMediaTypeError(`The body must be UTF-8 JSON; charset "${charset}" is not supported`));
      return;
    }
    next();
  };
  const translateErrors: express.ErrorRequestHandler = (error, _req, _res, next) => {
    switch ((error as { type?: string }).type) {
      case 'entity.parse.failed':
        next(new InputError(`The request body is not valid JSON: ${(error as Error).message}`));
        return;
      case 'entity.too.large':
        next(new PayloadTooLargeError(`The request body is larger than ${limit}; send the events in several requests`));
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        next(new UnsupportedMediaTypeError((error as Error).message));
        return;
      default:
        next(error);
    }
  };
  return [checkType, express.json({ limit, type: () => true }), translateErrors as any];
}
