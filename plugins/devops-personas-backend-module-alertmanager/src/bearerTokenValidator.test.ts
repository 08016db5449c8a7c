import {
  RequestDetails,
  RequestRejectionDetails,
} from '@backstage/plugin-events-node';
import firing from './__fixtures__/checkout-firing.json';
import { createBearerTokenValidator } from './bearerTokenValidator';

async function check(
  token: string | undefined,
  headers: RequestDetails['headers'],
) {
  let rejection: Partial<RequestRejectionDetails> | undefined;
  const body = Buffer.from(JSON.stringify(firing.body));
  await createBearerTokenValidator(token)(
    { body: firing.body, headers, raw: { body, encoding: 'utf-8' } },
    { reject: details => (rejection = details ?? {}) },
  );
  return rejection;
}

const refused = {
  status: 401,
  payload: { message: 'Missing or invalid "Authorization: Bearer" token' },
};

describe('createBearerTokenValidator', () => {
  it('lets through the headers Alertmanager sends with the configured token', async () => {
    // Recorded: `http_config.authorization.credentials: test-token`.
    expect(firing.headers.authorization).toBe('Bearer test-token');
    await expect(check('test-token', firing.headers)).resolves.toBeUndefined();
  });

  it('accepts the scheme in any case and a token with spaces', async () => {
    await expect(
      check('test-token', { authorization: 'bearer test-token' }),
    ).resolves.toBeUndefined();
    await expect(
      check('two words', { authorization: 'Bearer two words' }),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['no Authorization header', {}],
    ['another token', { authorization: 'Bearer other-token' }],
    ['a prefix of the token', { authorization: 'Bearer test-toke' }],
    ['the token with more after it', { authorization: 'Bearer test-token2' }],
    ['the token in another case', { authorization: 'Bearer TEST-TOKEN' }],
    ['the token without the scheme', { authorization: 'test-token' }],
    [
      'Basic credentials',
      {
        authorization: `Basic ${Buffer.from('u:test-token').toString(
          'base64',
        )}`,
      },
    ],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['the token in another header', { 'x-token': 'test-token' }],
    ['a list of headers', { authorization: ['Bearer test-token'] }],
  ])('refuses %s with 401', async (_, headers) => {
    await expect(check('test-token', headers)).resolves.toEqual(refused);
  });

  it('refuses everything while no token is configured', async () => {
    await expect(check(undefined, firing.headers)).resolves.toEqual(refused);
    await expect(
      check(undefined, { authorization: 'Bearer ' }),
    ).resolves.toEqual(refused);
    await expect(check('', { authorization: 'Bearer ' })).resolves.toEqual(
      refused,
    );
  });
});
