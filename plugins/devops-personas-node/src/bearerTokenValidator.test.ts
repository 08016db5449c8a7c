import { RequestDetails } from '@backstage/plugin-events-node';
import { createBearerTokenValidator } from './bearerTokenValidator';

const TOKEN = 'c2VjcmV0LXRva2VuLWZvci1jZGV2ZW50cw';
const MISSING =
  'Refused: devopsPersonas.sources.example.token is not configured';

const request = (authorization?: string): RequestDetails => ({
  body: {},
  headers: {
    'content-type': 'application/json',
    ...(authorization === undefined ? {} : { authorization }),
  },
  raw: { body: Buffer.from('{}'), encoding: 'utf-8' },
});

async function validate(token: string | undefined, details: RequestDetails) {
  const reject = jest.fn();
  await createBearerTokenValidator({ token, missingTokenMessage: MISSING })(
    details,
    { reject },
  );
  return reject;
}

describe('createBearerTokenValidator', () => {
  it.each([`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer  ${TOKEN} `])(
    'lets %p through and removes the header from what is published',
    async header => {
      const details = request(header);
      const reject = await validate(TOKEN, details);
      expect(reject).not.toHaveBeenCalled();
      expect(details.headers).not.toHaveProperty('authorization');
      expect(details.headers['content-type']).toBe('application/json');
    },
  );

  it.each([
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['no token', undefined],
    ['an empty header', ''],
    ['another scheme', `Basic ${TOKEN}`],
    ['the bare token', TOKEN],
    ['Bearer without a token', 'Bearer '],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
  ])('refuses %s with 401', async (_name, header) => {
    const reject = await validate(TOKEN, request(header));
    expect(reject).toHaveBeenCalledWith({
      status: 401,
      payload: { message: 'Missing or invalid bearer token' },
    });
  });

  it('refuses a header sent twice', async () => {
    const details = request();
    details.headers.authorization = [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`];
    expect(await validate(TOKEN, details)).toHaveBeenCalledTimes(1);
  });

  it.each([`${TOKEN}\n`, `  ${TOKEN}\r\n`])(
    'trims the configured token %p before comparing',
    async token => {
      const details = request(`Bearer ${TOKEN}`);
      expect(await validate(token, details)).not.toHaveBeenCalled();
      expect(details.headers).not.toHaveProperty('authorization');
      expect(await validate(token, request(`Bearer ${TOKEN}x`))).toHaveBeenCalledWith({
        status: 401,
        payload: { message: 'Missing or invalid bearer token' },
      });
    },
  );

  it.each([undefined, '', '  '])(
    'refuses every request when no token is configured (%p)',
    async token => {
      const details = request(`Bearer ${TOKEN}`);
      const reject = await validate(token, details);
      expect(reject).toHaveBeenCalledWith({
        status: 401,
        payload: { message: MISSING },
      });
    },
  );
});
