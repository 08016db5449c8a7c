import { cloudEventsJsonBodyParser } from './cloudEventsBodyParser';

const parse = (body: unknown, charset?: string) =>
  cloudEventsJsonBodyParser(
    { body } as any,
    {
      type: 'application/cloudevents+json',
      parameters: charset ? { charset } : {},
    },
    'cdevents',
  );

describe('cloudEventsJsonBodyParser', () => {
  it('parses the JSON and keeps the raw bytes', async () => {
    const raw = Buffer.from(
      '{"specversion":"1.0","type":"dev.cdevents.service.deployed.0.3.0","data":{"é":1}}',
    );
    const parsed = await parse(raw);
    expect(parsed).toEqual({
      bodyParsed: {
        specversion: '1.0',
        type: 'dev.cdevents.service.deployed.0.3.0',
        data: { é: 1 },
      },
      bodyBuffer: raw,
      encoding: 'utf-8',
    });
  });

  it('honours the charset', async () => {
    const parsed = await parse(
      Buffer.from('{"name":"café"}', 'latin1'),
      'latin1',
    );
    expect(parsed.bodyParsed).toEqual({ name: 'café' });
  });

  it.each(['{"specversion":', '', 'not json'])(
    'answers 400 for a body that is not JSON (%p)',
    async body => {
      await expect(parse(Buffer.from(body))).rejects.toMatchObject({
        name: 'InputError',
        statusCode: 400,
        message: expect.stringContaining(
          'The CloudEvent posted to topic cdevents is not valid JSON',
        ),
      });
    },
  );

  it('answers 415 for an unknown charset', async () => {
    await expect(parse(Buffer.from('{}'), 'ebcdic')).rejects.toMatchObject({
      statusCode: 415,
      message: 'Unsupported charset: ebcdic',
    });
  });

  it('fails when the ingress did not read the raw body', async () => {
    await expect(parse({})).rejects.toThrow('not a buffer');
  });
});
