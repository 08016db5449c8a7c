import { createHmac } from 'node:crypto';
import { RequestDetails } from '@backstage/plugin-events-node';
import {
  goPagerDutyVector,
  recordedAccount,
} from './__fixtures__/recordedDeliveries';
import {
  createPagerDutySignatureValidator,
  hasValidPagerDutySignature,
} from './signature';

const sign = (secret: string, body: string) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

const request = (
  body: string,
  signature?: string | string[],
): RequestDetails => ({
  body: JSON.parse(body),
  headers: {
    'content-type': 'application/json',
    ...(signature === undefined ? {} : { 'x-pagerduty-signature': signature }),
  },
  raw: { body: Buffer.from(body, 'utf-8'), encoding: 'utf-8' },
});

async function validate(secret: string | undefined, details: RequestDetails) {
  const reject = jest.fn();
  await createPagerDutySignatureValidator(secret)(details, { reject });
  return reject;
}

describe('hasValidPagerDutySignature', () => {
  it.each(Object.entries(recordedAccount.deliveries))(
    'accepts the signature PagerDuty sent with the recorded %s delivery',
    (_name, { body, signature }) => {
      expect(
        hasValidPagerDutySignature(
          Buffer.from(body),
          signature,
          recordedAccount.secret,
        ),
      ).toBe(true);
    },
  );

  it("accepts PagerDuty's own test vector", () => {
    const { body, signature, secret } = goPagerDutyVector;
    expect(
      hasValidPagerDutySignature(Buffer.from(body), signature, secret),
    ).toBe(true);
  });

  it('refuses a recorded signature with another secret, or over a changed body', () => {
    const { body, signature } = recordedAccount.deliveries.resolved;
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        signature,
        goPagerDutyVector.secret,
      ),
    ).toBe(false);
    const tampered = body.replace('"urgency":"low"', '"urgency":"high"');
    expect(tampered).not.toBe(body);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(tampered),
        signature,
        recordedAccount.secret,
      ),
    ).toBe(false);
  });

  it('accepts any one of several comma-separated signatures (secret rotation)', () => {
    const { body, signature, secret } = goPagerDutyVector;
    const other = sign('the-next-secret', body);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        `${other},${signature}`,
        secret,
      ),
    ).toBe(true);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        `${signature}, ${other}`,
        secret,
      ),
    ).toBe(true);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        `${other},${signature}`,
        'the-next-secret',
      ),
    ).toBe(true);
    expect(
      hasValidPagerDutySignature(Buffer.from(body), [other, signature], secret),
    ).toBe(true);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        `${other},${other}`,
        secret,
      ),
    ).toBe(false);
  });

  it('accepts upper-case hex and ignores signatures of other versions', () => {
    const { body, signature, secret } = goPagerDutyVector;
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        signature.toUpperCase().replace('V1=', 'v1='),
        secret,
      ),
    ).toBe(true);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body),
        signature.replace('v1=', 'v2='),
        secret,
      ),
    ).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a bare digest', goPagerDutyVector.signature.slice(3)],
    ['a truncated digest', goPagerDutyVector.signature.slice(0, -2)],
    ['a digest too long', `${goPagerDutyVector.signature}00`],
    ['non-hex characters', `v1=${'z'.repeat(64)}`],
    ['separators only', ',,,'],
  ])('refuses %s', (_name, header) => {
    const { body, secret } = goPagerDutyVector;
    expect(hasValidPagerDutySignature(Buffer.from(body), header, secret)).toBe(
      false,
    );
  });

  it('signs the raw bytes, not the parsed JSON', () => {
    const body =
      '{"event":  {"event_type": "incident.triggered", "data": {"title": "Café"}}}';
    const signature = sign('s3cret', body);
    expect(
      hasValidPagerDutySignature(
        Buffer.from(body, 'utf-8'),
        signature,
        's3cret',
      ),
    ).toBe(true);
    const reformatted = JSON.stringify(JSON.parse(body));
    expect(
      hasValidPagerDutySignature(Buffer.from(reformatted), signature, 's3cret'),
    ).toBe(false);
  });
});

describe('createPagerDutySignatureValidator', () => {
  const { body, signature } = recordedAccount.deliveries.triggered;

  it('lets a correctly signed delivery through', async () => {
    const reject = await validate(
      recordedAccount.secret,
      request(body, signature),
    );
    expect(reject).not.toHaveBeenCalled();
  });

  it.each([
    ['a wrong signature', sign('not-the-secret', body)],
    ['no signature', undefined],
  ])('refuses %s with 401', async (_name, header) => {
    const reject = await validate(
      recordedAccount.secret,
      request(body, header),
    );
    expect(reject).toHaveBeenCalledWith({
      status: 401,
      payload: { message: 'Missing or invalid X-PagerDuty-Signature' },
    });
  });

  it.each([undefined, ''])(
    'refuses every delivery, even a signed one, when no secret is configured (%p)',
    async secret => {
      const reject = await validate(secret, request(body, signature));
      expect(reject).toHaveBeenCalledWith({
        status: 401,
        payload: {
          message:
            'PagerDuty webhooks are refused: devopsPersonas.sources.pagerduty.webhookSecret is not configured',
        },
      });
    },
  );
});
