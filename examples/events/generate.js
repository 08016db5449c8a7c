#!/usr/bin/env node
/*
 * Example delivery and operations events for the example catalog: about 90
 * days ending now, deterministic for a given seed and `now`.
 *
 *   node examples/events/generate.js > events.json
 *
 * Profiles (see EXAMPLE_PROFILES): checkout is elite, search-service trips
 * the guardrail (faster but breaking in the last 30 days), legacy-billing
 * deploys rarely with slow lead times; the rest sit in between.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Which component behaves how. */
const EXAMPLE_PROFILES = {
  checkout: { deploysPerWeek: 6, leadHours: [3, 14], failureRate: 0, restoreMinutes: [15, 50], incidentsPerMonth: 1 },
  'payment-gateway': { deploysPerWeek: 3, leadHours: [20, 70], failureRate: 0.08, restoreMinutes: [40, 200], incidentsPerMonth: 2 },
  'fraud-detection': { deploysPerWeek: 1.5, leadHours: [30, 120], failureRate: 0.12, restoreMinutes: [60, 600], incidentsPerMonth: 1 },
  'storefront-web': { deploysPerWeek: 4, leadHours: [6, 40], failureRate: 0.07, restoreMinutes: [20, 120], incidentsPerMonth: 2 },
  'product-catalog': { deploysPerWeek: 2, leadHours: [24, 96], failureRate: 0.1, restoreMinutes: [60, 300], incidentsPerMonth: 1 },
  // Guardrail: in the last 30 days three times the deployments of the 30
  // days before, with far more failures and slower restores.
  'search-service': {
    deploysPerWeek: 2, leadHours: [24, 72], failureRate: 0.04, restoreMinutes: [30, 70], incidentsPerMonth: 1,
    recent: { deploysPerWeek: 6, failureRate: 0.3, restoreMinutes: [180, 420], incidentsPerMonth: 4 },
  },
  'build-pipelines': { deploysPerWeek: 3, leadHours: [4, 30], failureRate: 0.05, restoreMinutes: [20, 90], incidentsPerMonth: 0.5 },
  'service-templates': { deploysPerWeek: 1, leadHours: [24, 100], failureRate: 0.05, restoreMinutes: [30, 120], incidentsPerMonth: 0.2 },
  'metrics-collector': { deploysPerWeek: 1.5, leadHours: [12, 60], failureRate: 0.1, restoreMinutes: [30, 240], incidentsPerMonth: 1 },
  // Low: a release every few weeks, changes wait weeks to ship.
  'legacy-billing': { deploysPerWeek: 0.25, leadHours: [400, 900], failureRate: 0.3, restoreMinutes: [600, 2880], incidentsPerMonth: 1 },
};

/** SLI behaviour per SLO (see examples/openslo): normal error rate, and the last six hours. */
const SLIS = {
  'checkout-availability': { entity: 'checkout', errorRate: 0.0008, recentErrorRate: 0.0008, requests: 20000 },
  'checkout-latency': { entity: 'checkout', errorRate: 0.0025, recentErrorRate: 0.0025, requests: 20000 },
  'payment-gateway-availability': { entity: 'payment-gateway', errorRate: 0.0038, recentErrorRate: 0.01, requests: 8000 },
  // Search is failing hard right now: burns budget fast enough to page.
  'search-availability': { entity: 'search-service', errorRate: 0.0003, recentErrorRate: 0.03, requests: 12000 },
};

const COVERAGE = { checkout: 78, 'payment-gateway': 64, 'storefront-web': 71 };

const { mulberry32 } = require('../../scripts/lib/random');

/** ISO 8601 with an offset; every seventh timestamp in +02:00 to show offsets work. */
function stamp(ms, counter) {
  if (counter % 7 !== 0) return new Date(ms).toISOString();
  const local = new Date(ms + 2 * HOUR).toISOString().replace('Z', '+02:00');
  return local;
}

function generateExampleEvents({ now = new Date(), days = 90, seed = 42 } = {}) {
  const nowMs = now instanceof Date ? now.getTime() : Number(now);
  const start = nowMs - days * DAY;
  const random = mulberry32(seed);
  const between = (lo, hi) => lo + random() * (hi - lo);
  const events = [];
  let counter = 0;
  const at = ms => stamp(Math.min(ms, nowMs - 1000), counter++);

  for (const [name, profile] of Object.entries(EXAMPLE_PROFILES)) {
    const entityRef = counter % 2 ? `component:default/${name}` : name;
    const phase = ms => (profile.recent && ms >= nowMs - 30 * DAY ? { ...profile, ...profile.recent } : profile);
    const deployments = [];

    // Deployments (production, plus some staging that must not count), with their changes.
    for (let t = start + between(0, DAY); t < nowMs - HOUR; ) {
      const p = phase(t);
      const finished = t;
      const date = new Date(finished);
      const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
      if (!weekend || random() < 0.15) {
        const id = `${name}-deploy-${deployments.length + 1}`;
        const changeIds = [];
        const changes = 1 + Math.floor(random() * 3);
        for (let c = 0; c < changes; c++) {
          const changeId = `${name}-pr-${deployments.length + 1}-${c + 1}`;
          const created = finished - between(p.leadHours[0], p.leadHours[1]) * HOUR;
          const merged = created + (finished - created) * between(0.3, 0.9);
          // the optional url links the explain table to the item in its own tool
          events.push({ type: 'change', id: changeId, source: 'github', entityRef, url: `https://github.example.com/acme/${name}/pull/${deployments.length + 1}${c + 1}`, createdAt: at(created), mergedAt: at(merged) });
          changeIds.push(changeId);
        }
        const roll = random();
        const status = roll < p.failureRate * 0.5 ? 'rolled_back' : roll < p.failureRate * 0.5 + 0.04 ? 'failure' : 'success';
        if (random() < 0.3) {
          // the same changes went through staging first
          events.push({ type: 'deployment', id: `${id}-staging`, source: 'argocd', entityRef, environment: 'staging', status: 'success', changeIds, startedAt: at(finished - 2 * HOUR - 8 * 60_000), finishedAt: at(finished - 2 * HOUR) });
        }
        const deployment = { type: 'deployment', id, source: 'argocd', entityRef, environment: 'production', status, changeIds, rework: random() < p.failureRate, startedAt: at(finished - between(4, 15) * 60_000), finishedAt: at(finished) };
        events.push(deployment);
        deployments.push({ id, finished, status });
        if (status === 'failure' && random() < 0.5) {
          // a retry ships the same changes: the change counts once, at its first successful deployment
          const retry = `${id}-retry`;
          events.push({ type: 'deployment', id: retry, source: 'argocd', entityRef, environment: 'production', status: 'success', changeIds, rework: false, finishedAt: at(finished + 40 * 60_000) });
          deployments.push({ id: retry, finished: finished + 40 * 60_000, status: 'success' });
        }
      }
      t += (7 * DAY) / p.deploysPerWeek * between(0.6, 1.4);
    }

    // Incidents: some caused by a deployment (the change-failure part), most resolved.
    let incidentNo = 0;
    for (let t = start + between(0, 10 * DAY); t < nowMs - HOUR; ) {
      const p = phase(t);
      const id = `${name.toUpperCase()}-INC-${++incidentNo}`;
      const recentDeploy = [...deployments].reverse().find(d => d.finished < t && d.finished > t - 2 * DAY && d.status !== 'failure');
      const caused = recentDeploy && random() < Math.min(0.9, p.failureRate * 4) ? recentDeploy.id : undefined;
      const resolved = t + between(p.restoreMinutes[0], p.restoreMinutes[1]) * 60_000;
      const incident = { type: 'incident', id, source: 'pagerduty', entityRef, url: `https://acme.pagerduty.example.com/incidents/${id}`, startedAt: at(t), severity: random() < 0.3 ? 'sev1' : random() < 0.6 ? 'sev2' : 'sev3', customerImpacting: random() < 0.5 };
      if (resolved < nowMs) incident.resolvedAt = at(resolved);
      if (caused) incident.causedByDeploymentId = caused;
      events.push(incident);
      // Postmortem actions: some closed in time, some late, some open.
      if (incident.severity !== 'sev3') {
        for (let a = 0; a < 2; a++) {
          const created = resolved + between(1, 3) * DAY;
          if (created >= nowMs) continue;
          const due = created + (random() < 0.5 ? 14 : 30) * DAY;
          const action = { type: 'postmortem-action', id: `${id}-action-${a + 1}`, source: 'jira', entityRef, incidentId: id, createdAt: at(created) };
          if (random() < 0.5) action.dueAt = at(due);
          const close = random();
          const closed = close < 0.6 ? created + between(2, 12) * DAY : close < 0.8 ? due + between(2, 10) * DAY : undefined;
          if (closed && closed < nowMs) action.closedAt = at(closed);
          events.push(action);
        }
      }
      t += (30 * DAY) / p.incidentsPerMonth * between(0.5, 1.5);
    }

    // Alerts: the noisier the service, the more non-actionable pages.
    const noise = 0.2 + (profile.failureRate ?? 0.1) * 1.5;
    for (let t = start + between(0, DAY); t < nowMs; t += between(0.5, 2.5) * DAY) {
      events.push({ type: 'alert', id: `${name}-alert-${Math.round(t / 60_000)}`, source: 'prometheus', entityRef, firedAt: at(t), actionable: random() >= noise });
    }

    // Pipeline runs: several a day on weekdays.
    for (let t = start + between(0, HOUR); t < nowMs; t += between(3, 9) * HOUR) {
      const roll = random();
      events.push({ type: 'pipeline-run', id: `${name}-run-${Math.round(t / 60_000)}`, source: 'github-actions', entityRef, finishedAt: at(t), status: roll < 0.82 ? 'success' : roll < 0.95 ? 'failure' : 'cancelled', flaky: random() < 0.06, durationSeconds: Math.round(between(240, 900)) });
    }

    // Vulnerabilities: critical ones fixed within days, one left open past the SLA on some services.
    for (let t = start + between(0, 5 * DAY); t < nowMs; t += between(4, 12) * DAY) {
      const severity = ['critical', 'high', 'medium', 'low'][Math.floor(random() * 4)];
      const vuln = { type: 'vulnerability', id: `${name}-CVE-${Math.round(t / DAY)}`, source: 'snyk', entityRef, severity, detectedAt: at(t) };
      const fixed = t + between(0.5, severity === 'critical' ? 6 : 30) * DAY;
      if (fixed < nowMs) vuln.fixedAt = at(fixed);
      events.push(vuln);
    }
    if (name === 'legacy-billing' || name === 'fraud-detection') {
      events.push({ type: 'vulnerability', id: `${name}-CVE-open`, source: 'snyk', entityRef, severity: 'critical', detectedAt: at(nowMs - 12 * DAY) });
    }

    // A measurement KPI: weekly test coverage.
    if (COVERAGE[name]) {
      for (let week = 12; week >= 0; week--) {
        const t = nowMs - week * 7 * DAY - 6 * HOUR;
        events.push({ type: 'measurement', id: `${name}-coverage-w${12 - week}`, source: 'sonar', entityRef, kpi: 'test-coverage', timestamp: at(t), value: Math.round((COVERAGE[name] - week * 0.6 + between(-1, 1)) * 10) / 10 });
      }
    }
  }
  // SLI samples: hourly slices, 5-minute slices for the last six hours and
  // 1-minute slices for the last half hour, so the short burn-rate windows
  // (5 m, 30 m) have data.
  for (const [slo, sli] of Object.entries(SLIS)) {
    const emit = (startMs, lengthMs) => {
      const recent = startMs >= nowMs - 6 * HOUR;
      const total = Math.round((sli.requests * lengthMs) / HOUR * between(0.8, 1.2));
      // most slices are clean; errors come in bursts
      const rate = (recent ? sli.recentErrorRate : sli.errorRate) * (random() < 0.8 ? between(0, 0.6) : between(1.5, 4));
      const good = total - Math.min(total, Math.round(total * rate));
      events.push({ type: 'sli', id: `${slo}-${startMs}`, source: 'prometheus', entityRef: sli.entity, slo, windowStart: at(startMs), windowEnd: at(startMs + lengthMs), good, total });
    };
    const MINUTE = 60_000;
    const fineFrom = Math.floor((nowMs - 6 * HOUR) / HOUR) * HOUR;
    const finestFrom = Math.floor((nowMs - 30 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE;
    for (let t = fineFrom - 35 * DAY; t < fineFrom; t += HOUR) emit(t, HOUR);
    for (let t = fineFrom; t < finestFrom; t += 5 * MINUTE) emit(t, 5 * MINUTE);
    for (let t = finestFrom; t + MINUTE <= nowMs; t += MINUTE) emit(t, MINUTE);
  }
  return events;
}

module.exports = { generateExampleEvents, EXAMPLE_PROFILES };

if (require.main === module) {
  process.stdout.write(JSON.stringify({ events: generateExampleEvents() }));
}
