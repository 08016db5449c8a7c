export interface Config {
  devopsPersonas?: {
    sources?: {
      /**
       * The CDEvents event source
       * (`@devops-personas/plugin-devops-personas-backend-module-cdevents`):
       * CloudEvents posted to `/api/events/http/cdevents`.
       */
      cdevents?: {
        /**
         * The token senders must present as `Authorization: Bearer <token>`.
         * Without it every request is refused with 401.
         *
         * @visibility secret
         */
        token?: string;
      };
    };
  };
}
