export interface Config {
  devopsPersonas?: {
    sources?: {
      /** The Prometheus Alertmanager event source (topic `alertmanager`). */
      alertmanager?: {
        /**
         * The bearer token Alertmanager's webhook sends
         * (`http_config.authorization.credentials` of the receiver). Requests
         * to `/api/events/http/alertmanager` without
         * `Authorization: Bearer <token>` are refused with 401; while it is
         * not set, every request is.
         * @visibility secret
         */
        token?: string;
        /**
         * The alert label that names the alert's catalog entity, as an entity
         * ref (`component:default/checkout`, or a bare name for a Component in
         * the default namespace). Default `backstage_entity`.
         */
        entityLabel?: string;
        /**
         * Values of the `severity` label (case-insensitive) that make an alert
         * actionable when it has no `actionable: "true"|"false"` label.
         * Default `critical`, `page`.
         */
        actionableSeverities?: string[];
      };
    };
  };
}
