/*
 * Part of the example events as the tools themselves would send them, so the
 * example portal shows the event sources at work (SPEC §8):
 *
 * - storefront-web: GitHub (deployment_status, pull_request, workflow_run)
 *   and PagerDuty V3 (incident.triggered, incident.resolved); its catalog
 *   entry carries github.com/project-slug and pagerduty.com/service-id;
 * - payment-gateway: Prometheus Alertmanager notifications, the alerts
 *   labelled with backstage_entity;
 * - product-catalog: CDEvents (service.deployed, service.rolledback,
 *   incident.detected, incident.resolved), structured CloudEvents in the
 *   layout of the CDEvents specification's examples; the deployments'
 *   subject is the component, the incidents name it as their service.
 *
 * GitHub payloads are the community's recorded examples
 * (@octokit/webhooks-examples) with the example's ids, times and names.
 * Everything else stays a POST /v1/events event; a rolled-back deployment
 * (which GitHub cannot express) stays one too, naming the pull requests by
 * their GitHub ids.
 */
const examples = require('@octokit/webhooks-examples');

const GITHUB_COMPONENT = 'storefront-web';
const GITHUB_REPOSITORY = 'acme/storefront-web';
const PAGERDUTY_COMPONENT = 'storefront-web';
const PAGERDUTY_SERVICE_ID = 'PSTOREF';
const ALERTMANAGER_COMPONENT = 'payment-gateway';
const CDEVENTS_COMPONENT = 'product-catalog';
const CDEVENTS_SPEC_VERSION = '0.4.1';

const componentOf = event => event.entityRef.replace(/^component:default\//, '');
const utc = stamp => new Date(stamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
const clone = value => JSON.parse(JSON.stringify(value));

function recorded(name, pick) {
  const found = examples.find(e => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name} example to start from`);
  return found;
}

/** Points a recorded payload's repository at the example repository. */
function withRepository(payload) {
  const [owner, name] = GITHUB_REPOSITORY.split('/');
  payload.repository.name = name;
  payload.repository.full_name = GITHUB_REPOSITORY;
  payload.repository.owner.login = owner;
  payload.repository.html_url = `https://github.com/${GITHUB_REPOSITORY}`;
  return payload;
}

const github = (event, payload, id) => ({
  topic: 'github',
  headers: { 'x-github-event': event, 'x-github-delivery': `example-${event}-${id}` },
  body: payload,
});

function pullRequest(change, number) {
  const payload = withRepository(clone(recorded('pull_request', e => e.action === 'closed')));
  const pr = payload.pull_request;
  Object.assign(pr, {
    number,
    id: 900000 + number,
    html_url: `https://github.com/${GITHUB_REPOSITORY}/pull/${number}`,
    title: `Storefront change ${number}`,
    state: 'closed',
    merged: true,
    created_at: utc(change.createdAt),
    merged_at: utc(change.mergedAt),
    closed_at: utc(change.mergedAt),
    updated_at: utc(change.mergedAt),
  });
  payload.number = number;
  return { at: Date.parse(change.mergedAt), delivery: github('pull_request', payload, number) };
}

function deploymentStatus(deployment, number) {
  const payload = withRepository(clone(recorded('deployment_status', e => e.deployment_status.state === 'success')));
  const environment = deployment.environment === 'production' ? 'production' : deployment.environment;
  Object.assign(payload.deployment, {
    id: 500000 + number,
    environment,
    original_environment: environment,
    created_at: utc(deployment.startedAt ?? deployment.finishedAt),
    updated_at: utc(deployment.finishedAt),
  });
  Object.assign(payload.deployment_status, {
    id: 700000 + number,
    state: deployment.status === 'success' ? 'success' : 'failure',
    environment,
    target_url: `https://github.com/${GITHUB_REPOSITORY}/actions/runs/${300000 + number}`,
    created_at: utc(deployment.finishedAt),
    updated_at: utc(deployment.finishedAt),
  });
  return { at: Date.parse(deployment.finishedAt), delivery: github('deployment_status', payload, number) };
}

function workflowRun(run, number) {
  const payload = withRepository(clone(recorded('workflow_run', e => e.workflow_run.conclusion === 'success')));
  const finished = Date.parse(run.finishedAt);
  Object.assign(payload.workflow_run, {
    id: 300000 + number,
    run_number: number,
    // a flaky run failed first and passed on its second attempt
    run_attempt: run.flaky && run.status === 'success' ? 2 : 1,
    status: 'completed',
    conclusion: run.status,
    html_url: `https://github.com/${GITHUB_REPOSITORY}/actions/runs/${300000 + number}`,
    run_started_at: utc(finished - (run.durationSeconds ?? 300) * 1000),
    created_at: utc(finished - (run.durationSeconds ?? 300) * 1000),
    updated_at: utc(finished),
  });
  payload.action = 'completed';
  return { at: finished, delivery: github('workflow_run', payload, number) };
}

function pagerDuty(incident, number, eventType, occurredAt) {
  const id = `Q${String(number).padStart(6, '0')}STORE`;
  const priority = incident.customerImpacting ? 'P1' : 'P3';
  return {
    at: Date.parse(occurredAt),
    delivery: {
      topic: 'pagerduty',
      headers: {},
      body: {
        event: {
          id: `01EXAMPLE${eventType === 'incident.resolved' ? 'R' : 'T'}${String(number).padStart(6, '0')}`,
          event_type: eventType,
          resource_type: 'incident',
          occurred_at: utc(occurredAt),
          agent: null,
          client: null,
          data: {
            id,
            type: 'incident',
            self: `https://api.pagerduty.com/incidents/${id}`,
            html_url: `https://acme.pagerduty.com/incidents/${id}`,
            number,
            status: eventType === 'incident.resolved' ? 'resolved' : 'triggered',
            incident_key: `storefront-${number}`,
            created_at: utc(incident.startedAt),
            title: `Storefront incident ${number}`,
            service: {
              html_url: `https://acme.pagerduty.com/services/${PAGERDUTY_SERVICE_ID}`,
              id: PAGERDUTY_SERVICE_ID,
              self: `https://api.pagerduty.com/services/${PAGERDUTY_SERVICE_ID}`,
              summary: 'Storefront Web',
              type: 'service_reference',
            },
            assignees: [],
            escalation_policy: { id: 'PEXAMPL', summary: 'Storefront on call', type: 'escalation_policy_reference' },
            teams: [],
            priority: { id: `PPRIO${priority}`, summary: priority, type: 'priority_reference' },
            urgency: incident.severity === 'sev1' ? 'high' : 'low',
            conference_bridge: null,
            resolve_reason: null,
          },
        },
      },
    },
  };
}

function alertmanager(alert, index) {
  const startsAt = utc(alert.firedAt);
  const fingerprint = `e${String(index).padStart(15, '0')}`;
  const labels = {
    alertname: alert.actionable ? 'PaymentErrorsHigh' : 'PaymentLatencyWobble',
    backstage_entity: `component:default/${ALERTMANAGER_COMPONENT}`,
    severity: alert.actionable ? 'critical' : 'warning',
  };
  return {
    at: Date.parse(alert.firedAt),
    delivery: {
      topic: 'alertmanager',
      headers: {},
      body: {
        version: '4',
        groupKey: `{}:{alertname="${labels.alertname}"}`,
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'backstage',
        groupLabels: { alertname: labels.alertname },
        commonLabels: labels,
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example.com:9093',
        alerts: [
          {
            status: 'firing',
            labels,
            annotations: { summary: 'Example alert of the payment gateway' },
            startsAt,
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=up',
            fingerprint,
          },
        ],
      },
    },
  };
}

function cdevent(kind, eventVersion, id, timestamp, subject) {
  return {
    topic: 'cdevents',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: {
      specversion: '1.0',
      id,
      source: '/example/delivery',
      type: `dev.cdevents.${kind}.${eventVersion}`,
      datacontenttype: 'application/json',
      time: timestamp,
      data: {
        context: {
          version: CDEVENTS_SPEC_VERSION,
          id,
          source: '/example/delivery',
          type: `dev.cdevents.${kind}.${eventVersion}`,
          timestamp,
        },
        subject,
      },
    },
  };
}

function cdeventsDeployment(deployment, number) {
  const kind = deployment.status === 'rolled_back' ? 'service.rolledback' : 'service.deployed';
  const timestamp = new Date(Date.parse(deployment.finishedAt)).toISOString();
  return {
    at: Date.parse(deployment.finishedAt),
    delivery: cdevent(kind, '0.1.1', `catalog-deploy-${number}`, timestamp, {
      id: CDEVENTS_COMPONENT,
      source: '/example/delivery',
      type: 'service',
      content: {
        environment: { id: deployment.environment === 'production' ? 'prod' : deployment.environment, source: '/example/clusters' },
        artifactId: `pkg:oci/product-catalog@sha256%3A${String(number).padStart(64, '0')}`,
      },
    }),
  };
}

function cdeventsIncident(incident, number, kind, at) {
  const timestamp = new Date(Date.parse(at)).toISOString();
  return {
    at: Date.parse(at),
    delivery: cdevent(kind, '0.1.0', `catalog-incident-${number}-${kind}`, timestamp, {
      id: `catalog-incident-${number}`,
      source: '/example/monitoring',
      type: 'incident',
      content: {
        description: `Product catalog incident ${number}`,
        environment: { id: 'prod', source: '/example/clusters' },
        service: { id: CDEVENTS_COMPONENT, source: '/example/clusters' },
      },
    }),
  };
}

/**
 * Splits the example events into webhook deliveries (in the order the tools
 * would send them) and the events still sent to POST /v1/events.
 */
function exampleWebhookDeliveries(events) {
  const timed = [];
  const rest = [];
  const prNumbers = new Map();
  let deployments = 0;
  let runs = 0;
  let incidents = 0;
  let alerts = 0;
  let cdDeployments = 0;
  let cdIncidents = 0;
  for (const event of events) {
    const component = componentOf(event);
    if (component === GITHUB_COMPONENT && event.type === 'change' && event.mergedAt) {
      const number = prNumbers.size + 1;
      prNumbers.set(event.id, number);
      timed.push(pullRequest(event, number));
    } else if (component === GITHUB_COMPONENT && event.type === 'deployment' && event.status !== 'rolled_back') {
      timed.push(deploymentStatus(event, ++deployments));
    } else if (component === GITHUB_COMPONENT && event.type === 'pipeline-run') {
      timed.push(workflowRun(event, ++runs));
    } else if (component === PAGERDUTY_COMPONENT && event.type === 'incident') {
      const number = ++incidents;
      timed.push(pagerDuty(event, number, 'incident.triggered', event.startedAt));
      if (event.resolvedAt) timed.push(pagerDuty(event, number, 'incident.resolved', event.resolvedAt));
    } else if (component === ALERTMANAGER_COMPONENT && event.type === 'alert') {
      timed.push(alertmanager(event, ++alerts));
    } else if (component === CDEVENTS_COMPONENT && event.type === 'deployment' && event.status !== 'failure') {
      timed.push(cdeventsDeployment(event, ++cdDeployments));
    } else if (component === CDEVENTS_COMPONENT && event.type === 'incident') {
      const number = ++cdIncidents;
      timed.push(cdeventsIncident(event, number, 'incident.detected', event.startedAt));
      if (event.resolvedAt) timed.push(cdeventsIncident(event, number, 'incident.resolved', event.resolvedAt));
    } else {
      rest.push(event);
    }
  }
  // What stays an API event names the pull requests by their GitHub ids.
  for (const event of rest) {
    if (event.type === 'deployment' && componentOf(event) === GITHUB_COMPONENT) {
      event.changeIds = event.changeIds.map(id =>
        prNumbers.has(id) ? `${GITHUB_REPOSITORY}#${prNumbers.get(id)}` : id,
      );
    }
  }
  timed.sort((a, b) => a.at - b.at);
  return { deliveries: timed.map(t => t.delivery), events: rest };
}

/** One GitHub deployment_status delivery of storefront-web, for a §6 deployment. */
function githubDeploymentDelivery(deployment, number) {
  return deploymentStatus(deployment, number).delivery;
}

module.exports = {
  exampleWebhookDeliveries,
  githubDeploymentDelivery,
  GITHUB_REPOSITORY,
  PAGERDUTY_SERVICE_ID,
};
