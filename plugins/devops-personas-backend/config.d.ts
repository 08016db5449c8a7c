import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
      /**
       * A person named (explicitly) on more entities than this is in hero
       * mode. Default 10.
       */
      entitiesPerPerson?: number;
    };
    /**
     * Change a built-in persona (title, canvas fields) or add a custom one,
     * by persona id (lower case, dashes).
     */
    personas?: {
      [personaId: string]: {
        title?: string;
        /** The annotation naming its holders; default `devops-personas.io/<id>`. */
        annotation?: string;
        /** Whether a missing holder raises `unassigned-persona`. */
        core?: boolean;
        /** Fields given replace the default ones; the others stay. */
        canvas?: {
          mission?: string;
          decisions?: string[];
          accountability?: string;
          deliverables?: string[];
          kpis?: string[];
          interfaces?: string[];
          antiGoals?: string[];
        };
      };
    };
    /** RACI scenarios: added to the nine defaults, or replacing them. */
    raci?: {
      replaceDefaults?: boolean;
      /** A scenario with the id of a default one replaces it. */
      scenarios?: Array<{
        id: string;
        title?: string;
        /** Persona ids; `stakeholders` stands for the entity's owner. */
        R?: string[];
        A: string[];
        C?: string[];
        I?: string[];
        /** Labels of several accountable personas, e.g. business and operational. */
        accountableQualifiers?: { [personaId: string]: string };
      }>;
    };
    /** SLO documents read through devops-personas.io/slo-ref. */
    slo?: {
      /** How long read documents are cached, e.g. `5m` or `PT1H`. Default 5 minutes. */
      refreshInterval?: string;
    };
    /**
     * Per built-in KPI: the owning persona (the KPI map), a target such as
     * `< 1d`, `>= 99.5%`, `<= 10%` or `>= 3/week` (annotations
     * `devops-personas.io/kpi-target.<id>` take precedence), the response
     * when the KPI deteriorates, and the section of the KPIs tab it is shown
     * in (`flow`, `stability`, `risk` or `measurements`; the four DORA KPIs
     * stay in `dora`).
     */
    kpis?: {
      [kpiId: string]: {
        owner?: string;
        target?: string;
        response?: string;
        group?: string;
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
      /**
       * Section of the KPIs tab: `flow`, `stability`, `risk` or
       * `measurements`. Default `measurements`.
       */
      group?: string;
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
    /** DORA performance tiers. */
    tiers?: {
      /**
       * A tier is given only when its sample reaches this many: deployments
       * in the window (change failure rate), changes counted (lead time),
       * resolved incidents (time to restore). Default 5.
       */
      minimumSample?: number;
    };
    /**
     * Changes against the baseline smaller than these are shown as
     * "steady" rather than better or worse.
     */
    steadyChange?: {
      /** For rates (fractions), in percentage points. Default 2. */
      points?: number;
      /** For every other KPI, relative to the baseline (0.05 = 5 %). Default 0.05. */
      ratio?: number;
    };
    /**
     * Event sources: the backend modules that turn the webhooks of GitHub,
     * GitLab, PagerDuty, Alertmanager or CDEvents into KPI events (each
     * module documents its own keys under `devopsPersonas.sources.<id>`).
     */
    sources?: {
      /**
       * Environment names stored as `production` (case-insensitive); any
       * other name is stored as given. Default `production`, `prod`, `live`.
       */
      productionEnvironments?: string[];
      /**
       * Prometheus servers that OpenSLO SLIs are read from (SPEC §5): an SLI
       * whose ratioMetric parts all have `metricSource.type: Prometheus` is
       * evaluated against the entry named by its `metricSourceRef`, else the
       * entry `default`, instead of `sli` events. Queries run with these
       * credentials only, never the viewer's, and only to these URLs.
       */
      prometheus?: {
        [name: string]: {
          /** The Prometheus HTTP API root, e.g. `http://prometheus:9090` (the `/api/v1/...` paths are added). */
          baseUrl: string;
          /** Where people open Prometheus in a browser; the SLO tab links each query to its graph there. */
          externalUrl?: string;
          /**
           * Headers sent with every query, e.g. `Authorization: Bearer ${PROMETHEUS_TOKEN}`.
           * @visibility secret
           */
          headers?: { [name: string]: string };
          /** How long one query may take, e.g. `10s`, `PT30S`. Default 10 seconds. */
          timeout?: string;
        };
      };
    };
    /**
     * How source modules link an incident that names no deployment to the
     * deployment that caused it. Events sent to `POST /v1/events` are never
     * linked by inference.
     */
    attribution?: {
      /**
       * `last-deployment` (default): the entity's last production deployment
       * that reached production before the incident started, if it finished
       * at most `maxGap` earlier. `explicit`: only what the tool names.
       */
      rule?: 'explicit' | 'last-deployment';
      /** Longest time from that deployment to the incident, e.g. `24h`, `2d`, `PT12H`. Default `24h`. */
      maxGap?: string;
    };
    /**
     * Notifications to the people who answer for a KPI (SPEC §9), sent
     * through Backstage's notifications system (install
     * `@backstage/plugin-notifications-backend`).
     */
    notifications?: {
      /** Set to false to turn the evaluation and the weekly digest off. Default true. */
      enabled?: boolean;
      /**
       * How often every entity with events or SLOs is evaluated, through
       * Backstage's scheduler (one replica runs each time). Default every
       * 15 minutes, first 30 seconds after start, at most 10 minutes a run.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Log what would be sent (recipients, title, text) instead of sending
       * it: for the first week of a rollout. States seen in a dry run are
       * sent once it is off. Default false.
       */
      dryRun?: boolean;
      /**
       * Which changes notify; default all: `kpi-missed` (met → not met),
       * `tier-drop` (a DORA tier drops), `slo-page`, `slo-ticket` (an SLO
       * objective's alert), `guardrail` (fast but breaking),
       * `vulnerability-overdue` (a critical vulnerability passes its SLA)
       * and `recovery` (the way back from any of them).
       */
      transitions?: Array<
        'kpi-missed' | 'tier-drop' | 'slo-page' | 'slo-ticket' | 'guardrail' | 'vulnerability-overdue' | 'recovery'
      >;
      /**
       * KPI ids that never notify (`slo-compliance` also silences SLO
       * alerts, `deployment-frequency` the guardrail).
       */
      excludeKpis?: string[];
      /** The KPI window evaluated, ending now, e.g. `30d`, `P4W`. Default `30d`. */
      window?: string;
    };
    /** The weekly review (page, API and digest). */
    review?: {
      /**
       * The day (UTC) each System and owner Group gets its agenda as a
       * notification, e.g. `monday`. Default `monday`.
       */
      day?: 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
      /** Set to false to send no digest (the page and the API stay). Default true. */
      enabled?: boolean;
    };
  };
}
