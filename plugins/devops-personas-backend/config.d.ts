export interface Config {
  /**
   * Configuration of the DevOps Personas plugins.
   */
  devopsPersonas?: {
    /**
     * Holders used for a persona when neither the entity nor its System or
     * Domain names one, by persona id; comma-separated entity refs.
     * Reported with provenance `config-default`.
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
    /**
     * Per built-in KPI: the owning persona (the KPI map), a target such as
     * `< 1d`, `>= 99.5%`, `<= 10%` or `>= 3/week` (annotations
     * `devops-personas.io/kpi-target.<id>` take precedence), and the response
     * when the KPI deteriorates.
     */
    kpis?: {
      [kpiId: string]: {
        owner?: string;
        target?: string;
        response?: string;
      };
    };
    /**
     * KPIs fed by `measurement` events: value is the latest measurement in the
     * window, the trend the per-bucket mean.
     */
    measurementKpis?: Array<{
      /** Lower-case id, used in `measurement` events and annotations. */
      id: string;
      title?: string;
      /** Unit shown beside the value, e.g. `percent`, `minutes`. */
      unit: string;
      /** Persona that owns the KPI by default. */
      owner?: string;
      /** Whether higher values are better. Default `higher`. */
      direction?: 'higher' | 'lower';
      target?: string;
      response?: string;
    }>;
    /**
     * How long a critical vulnerability may stay open before it counts as
     * overdue, e.g. `7d` or `P7D`. Default 7 days.
     */
    vulnerabilitySla?: string;
    /**
     * A fixed baseline period (ISO 8601 dates) instead of the first 4 weeks
     * that have data.
     */
    baseline?: {
      start: string;
      end: string;
    };
  };
}
