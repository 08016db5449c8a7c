export interface Config {
  devopsPersonas?: {
    sources?: {
      /**
       * The PagerDuty event source
       * (`@devops-personas/plugin-devops-personas-backend-module-pagerduty`): V3
       * webhooks posted to `/api/events/http/pagerduty`.
       */
      pagerduty?: {
        /**
         * The secret PagerDuty generated for the webhook subscription; every
         * delivery must carry a `v1=` signature made with it in
         * `X-PagerDuty-Signature`. Without it every delivery is refused
         * with 401.
         *
         * @visibility secret
         */
        webhookSecret?: string;
        /**
         * Incident priorities (their names, as PagerDuty shows them;
         * case-insensitive) that make an incident customer-impacting.
         * Default `P1`, `P2`.
         */
        customerImpactingPriorities?: string[];
      };
    };
  };
}
