import { DevopsPersonasSource } from '@devops-personas/plugin-devops-personas-node';
import { ALERTMANAGER_SOURCE_ID, ALERTMANAGER_TOPIC } from './constants';
import { AlertmanagerTranslationOptions } from './options';
import { translateAlertmanagerNotification } from './translateNotification';

/**
 * The Alertmanager event source: reads the `alertmanager` topic and turns
 * each webhook notification into `alert` events.
 *
 * @public
 */
export function createAlertmanagerSource(
  options: AlertmanagerTranslationOptions,
): DevopsPersonasSource {
  return {
    id: ALERTMANAGER_SOURCE_ID,
    title: 'Alertmanager',
    topics: [ALERTMANAGER_TOPIC],
    translate: payload =>
      translateAlertmanagerNotification(payload.body, options),
  };
}
