/**
 * Where a tool sends its webhooks for an events topic: the route Backstage's
 * events backend serves for each topic in `events.http.topics`.
 */
export function webhookPath(topic: string): string {
  return `/api/events/http/${encodeURIComponent(topic)}`;
}

/**
 * The id the org overview gives its event sources section, so that other
 * pages can link straight to it (`/devops-personas#event-sources`).
 */
export const EVENT_SOURCES_SECTION_ID = 'event-sources';
