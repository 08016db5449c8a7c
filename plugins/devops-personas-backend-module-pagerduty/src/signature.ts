import { createHmac, timingSafeEqual } from 'node:crypto';
import { RequestValidator } from '@backstage/plugin-events-node';

const SIGNATURE_HEADER = 'x-pagerduty-signature';
/** A `v1` signature: hex SHA-256 HMAC, 32 bytes. */
const V1_SIGNATURE = /^v1=([0-9a-f]{64})$/i;

/**
 * Whether the `X-PagerDuty-Signature` header holds a `v1` signature of the
 * raw body made with `secret`. During a secret rotation PagerDuty sends one
 * signature per secret, comma separated: one match is enough. Compared in
 * constant time.
 */
export function hasValidPagerDutySignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  secret: string,
): boolean {
  if (header === undefined) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const candidates = (Array.isArray(header) ? header : [header]).flatMap(
    value => value.split(','),
  );
  let matched = false;
  for (const candidate of candidates) {
    const hex = V1_SIGNATURE.exec(candidate.trim())?.[1];
    // Every candidate is compared, so the time taken does not tell which matched.
    if (hex && timingSafeEqual(Buffer.from(hex, 'hex'), expected)) {
      matched = true;
    }
  }
  return matched;
}

/**
 * The ingress validator of the `pagerduty` topic: a delivery without a
 * valid signature is refused with 401 and never published. Without a
 * configured secret every delivery is refused: an unsigned webhook must not
 * become KPI data.
 */
export function createPagerDutySignatureValidator(
  webhookSecret: string | undefined,
): RequestValidator {
  return async (request, context) => {
    if (!webhookSecret) {
      context.reject({
        status: 401,
        payload: {
          message:
            'PagerDuty webhooks are refused: devopsPersonas.sources.pagerduty.webhookSecret is not configured',
        },
      });
      return;
    }
    if (
      !hasValidPagerDutySignature(
        request.raw.body,
        request.headers[SIGNATURE_HEADER],
        webhookSecret,
      )
    ) {
      context.reject({
        status: 401,
        payload: { message: 'Missing or invalid X-PagerDuty-Signature' },
      });
    }
  };
}
