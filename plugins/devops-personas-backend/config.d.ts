export interface Config {
  /**
   * Configuration of the DevOps Personas plugins.
   */
  devopsPersonas?: {
    /**
     * Holders used for a persona when neither the entity nor its System or
     * Domain names one, by persona id; comma-separated entity refs.
     * Reported with provenance `config-default`.
     * @example { 'service-owner': 'group:default/sre' }
     */
    defaultHolders?: { [personaId: string]: string };
    /** Hero-mode detection. */
    heroMode?: {
      /**
       * A person holding this many personas of one entity or more is in hero
       * mode. Default 4.
       */
      personasPerEntity?: number;
    };
  };
}
