import { ConfigReader } from '@backstage/config';
import { readCdeventsToken } from './bearerToken';

const TOKEN = 'c2VjcmV0LXRva2VuLWZvci1jZGV2ZW50cw';

describe('readCdeventsToken', () => {
  it('reads devopsPersonas.sources.cdevents.token; empty counts as absent', () => {
    const read = (token?: unknown) =>
      readCdeventsToken(
        new ConfigReader(
          token === undefined
            ? {}
            : { devopsPersonas: { sources: { cdevents: { token } } } },
        ),
      );
    expect(read(TOKEN)).toBe(TOKEN);
    expect(read()).toBeUndefined();
    expect(read('  ')).toBeUndefined();
    expect(() => read(42)).toThrow(/devopsPersonas\.sources\.cdevents\.token/);
  });
});
