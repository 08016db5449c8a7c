import { HttpBodyParser } from '@backstage/plugin-events-node';

/** A request the parser refuses, answered with its status code. */
class UnreadableCloudEventError extends Error {
  constructor(message: string, readonly statusCode: number, name: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Reads `application/cloudevents+json` bodies (CloudEvents structured mode)
 * for Backstage's events ingress, which only parses `application/json`
 * itself. Malformed JSON is a 400, never a 500.
 */
export const cloudEventsJsonBodyParser: HttpBodyParser = async (
  request,
  mediaType,
  topic,
) => {
  const bodyBuffer: unknown = request.body;
  if (!Buffer.isBuffer(bodyBuffer)) {
    throw new Error(
      `Failed to read the raw body of a CloudEvent on topic ${topic}: not a buffer`,
    );
  }
  const encoding = mediaType.parameters.charset ?? 'utf-8';
  if (!Buffer.isEncoding(encoding)) {
    throw new UnreadableCloudEventError(
      `Unsupported charset: ${encoding}`,
      415,
      'UnsupportedCharsetError',
    );
  }
  let bodyParsed: unknown;
  try {
    bodyParsed = JSON.parse(bodyBuffer.toString(encoding));
  } catch (error) {
    throw new UnreadableCloudEventError(
      `The CloudEvent posted to topic ${topic} is not valid JSON: ${
        (error as Error).message
      }`,
      400,
      'InputError',
    );
  }
  return { bodyParsed, bodyBuffer, encoding };
};
