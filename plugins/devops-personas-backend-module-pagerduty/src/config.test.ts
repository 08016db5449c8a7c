import { ConfigReader } from '@backstage/config';
import { readPagerDutyConfig } from './config';

const read = (pagerduty?: object) =>
  readPagerDutyConfig(
    new ConfigReader(
      pagerduty === undefined
        ? {}
        : { devopsPersonas: { sources: { pagerduty } } },
    ),
  );

describe('readPagerDutyConfig', () => {
  it('defaults to no secret and priorities P1 and P2', () => {
    expect(read()).toEqual({
      webhookSecret: undefined,
      customerImpactingPriorities: ['P1', 'P2'],
    });
  });

  it('reads the secret and the priorities', () => {
    expect(
      read({ webhookSecret: 's3cret', customerImpactingPriorities: ['SEV-1'] }),
    ).toEqual({
      webhookSecret: 's3cret',
      customerImpactingPriorities: ['SEV-1'],
    });
  });

  it('treats a blank secret as none', () => {
    expect(read({ webhookSecret: '  ' }).webhookSecret).toBeUndefined();
  });

  it('names the key of a value of the wrong type', () => {
    expect(() => read({ customerImpactingPriorities: 'P1' })).toThrow(
      /devopsPersonas\.sources\.pagerduty\.customerImpactingPriorities/,
    );
  });
});
