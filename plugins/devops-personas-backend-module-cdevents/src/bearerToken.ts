import { Config } from '@backstage/config';

/** `devopsPersonas.sources.cdevents.token`; undefined when absent or empty. */
export function readCdeventsToken(config: Config): string | undefined {
  const token = config.getOptionalString(
    'devopsPersonas.sources.cdevents.token',
  );
  return token?.trim() ? token : undefined;
}
