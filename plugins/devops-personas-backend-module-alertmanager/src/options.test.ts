import { ConfigReader, JsonObject } from '@backstage/config';
import {
  readAlertmanagerToken,
  readAlertmanagerTranslationOptions,
} from './options';

const config = (alertmanager: JsonObject) =>
  new ConfigReader({ devopsPersonas: { sources: { alertmanager } } });

describe('readAlertmanagerTranslationOptions', () => {
  it('defaults to the backstage_entity label and severities critical and page', () => {
    expect(readAlertmanagerTranslationOptions(new ConfigReader({}))).toEqual({
      entityLabel: 'backstage_entity',
      actionableSeverities: ['critical', 'page'],
    });
  });

  it('reads the configured label and severities', () => {
    expect(
      readAlertmanagerTranslationOptions(
        config({
          entityLabel: ' service ',
          actionableSeverities: ['sev1', ' sev2 ', ' '],
        }),
      ),
    ).toEqual({
      entityLabel: 'service',
      actionableSeverities: ['sev1', 'sev2'],
    });
    expect(
      readAlertmanagerTranslationOptions(config({ actionableSeverities: [] })),
    ).toEqual({
      entityLabel: 'backstage_entity',
      actionableSeverities: [],
    });
  });

  it('refuses an empty label or settings of the wrong type, naming the key', () => {
    expect(() =>
      readAlertmanagerTranslationOptions(config({ entityLabel: ' ' })),
    ).toThrow(
      'devopsPersonas.sources.alertmanager.entityLabel must name an alert label; leave it out to use "backstage_entity"',
    );
    expect(() =>
      readAlertmanagerTranslationOptions(
        config({ actionableSeverities: 'critical' }),
      ),
    ).toThrow(/actionableSeverities/);
  });
});

describe('readAlertmanagerToken', () => {
  it('reads the token, trimmed, and treats a blank one as unset', () => {
    expect(readAlertmanagerToken(config({ token: 's3cret\n' }))).toBe('s3cret');
    expect(readAlertmanagerToken(config({ token: '  ' }))).toBeUndefined();
    expect(readAlertmanagerToken(new ConfigReader({}))).toBeUndefined();
  });
});
