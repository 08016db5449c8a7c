import webhooks from '@octokit/webhooks-examples';

/**
 * The webhook payloads GitHub recorded for its documentation, as collected in
 * `@octokit/webhooks-examples` (api.github.com). Each call returns a deep copy,
 * so a test may change fields without touching the others.
 */
export function recordedPayloads(eventName: string): any[] {
  const definition = webhooks.find(d => d.name === eventName);
  if (!definition) throw new Error(`No recorded ${eventName} payloads`);
  return definition.examples.map(example => structuredClone(example));
}

/** The first recorded payload of an event that matches a predicate. */
export function recordedPayload(
  eventName: string,
  matches: (payload: any) => boolean = () => true,
): any {
  const payload = recordedPayloads(eventName).find(matches);
  if (!payload) throw new Error(`No recorded ${eventName} payload matches`);
  return payload;
}
