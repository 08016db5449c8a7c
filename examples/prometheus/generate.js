#!/usr/bin/env node
/*
 * The request counters behind the example SLIs, as the services' Prometheus
 * would hold them: one sample a minute for the last 35 days ending now,
 * deterministic for a given seed and `now`, then continuing live for the
 * example portal's exporter (scripts/start-portal.js).
 *
 *   node examples/prometheus/generate.js [--instance 127.0.0.1:9464] > history.om
 *   promtool tsdb create-blocks-from openmetrics --max-block-duration=240h history.om <data dir>
 *
 * (without the block duration promtool writes 2-hour blocks: 420 of them,
 * in 2 minutes instead of 4 s).
 *
 * Each counter tells the story of its SLO's `sli` events in
 * examples/events/generate.js (its SLIS table), so that the SLO tab shows
 * much the same figures whichever of the two it reads:
 * - checkout-availability, `http_requests_total{service="checkout",code}`:
 *   about 330 requests a minute, a small error rate that comes in hourly
 *   bursts; well within budget, it never pages;
 * - payment-gateway-availability, `payment_authorisations_total{result}`:
 *   about 130 authorisations a minute, more errors (0.4 %), and errors on
 *   about 1 % of them for the last six hours (and on, while the portal
 *   runs): its burn rates climb, but it does not page;
 * - search-availability, `search_requests_total{code}`: about 200 requests
 *   a minute, few errors, and for the last six hours (and on) errors on 3 %
 *   of requests: the SLO pages.
 * 4xx answers are good requests, 5xx are not (`code!~"5.."`); of the
 * authorisations only `result="ok"` is good.
 */
const { mulberry32 } = require('../../scripts/lib/random');
const {
  seriesSelector,
  toOpenMetrics,
} = require('../../plugins/devops-personas-backend/src/__testUtils__/prometheusServer');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long the recent error rate has held when the history ends, as in the sli events. */
const RECENT_HOURS = 6;

/**
 * One story per example SLO. `job` is the Prometheus job its live counters
 * are scraped as. Rates are those of SLIS in examples/events/generate.js:
 * `errorRate` in hourly bursts, `recentErrorRate` (if any; else the quiet
 * rate goes on) every minute of the last RECENT_HOURS and on. `bad` and
 * `good` split the failed and the successful requests among the counter's
 * label sets: each by its `share`, the last one taking the rest.
 *
 * Each story draws from its own random stream (seeded with the seed plus its
 * index here): add new ones at the end, and the others stay as they were.
 */
const EXAMPLE_STORIES = [
  {
    slo: 'search-availability',
    job: 'search-service',
    metric: 'search_requests_total',
    help: 'Search requests answered, by HTTP status code.',
    requestsPerHour: 12000,
    errorRate: 0.0003,
    recentErrorRate: 0.03,
    bad: [
      { labels: { code: '503' }, share: 0.25 },
      { labels: { code: '500' } },
    ],
    good: [
      { labels: { code: '404' }, share: 0.015 },
      { labels: { code: '200' } },
    ],
  },
  {
    slo: 'checkout-availability',
    job: 'checkout',
    metric: 'http_requests_total',
    help: 'HTTP requests answered, by service and status code.',
    requestsPerHour: 20000,
    errorRate: 0.0008,
    bad: [
      { labels: { service: 'checkout', code: '503' }, share: 0.3 },
      { labels: { service: 'checkout', code: '500' } },
    ],
    good: [
      // Rejected carts: the service did its job.
      { labels: { service: 'checkout', code: '400' }, share: 0.01 },
      { labels: { service: 'checkout', code: '200' } },
    ],
  },
  {
    slo: 'payment-gateway-availability',
    job: 'payment-gateway',
    metric: 'payment_authorisations_total',
    help: 'Payment authorisations answered, by result.',
    requestsPerHour: 8000,
    errorRate: 0.0038,
    recentErrorRate: 0.01,
    bad: [
      { labels: { result: 'timeout' }, share: 0.4 },
      { labels: { result: 'error' } },
    ],
    good: [{ labels: { result: 'ok' } }],
  },
];

/**
 * The cumulative counts of one story's label sets, one minute at a time from
 * `startMs` (a minute boundary, all counts 0). Errors come in hour-long
 * bursts as in the sli events; from `recentFromMs` on, with a recent error
 * rate, they are high every minute, so that even the 5-minute burn rate
 * shows it.
 */
class StoryCounters {
  constructor({ story, startMs, recentFromMs, seed }) {
    this.story = story;
    this.random = mulberry32(seed);
    this.recentFromMs = recentFromMs;
    /** The label sets counted: the bad ones, then the good ones. */
    this.outcomes = [...story.bad, ...story.good];
    /** The minute boundary the counts are at. */
    this.atMs = startMs;
    this.counts = this.outcomes.map(() => 0);
    this.hourMultiplier = { hour: NaN, value: 1 };
    this.minute = this.nextMinute();
  }

  between(lo, hi) {
    return lo + this.random() * (hi - lo);
  }

  /** A whole number whose mean is `x`: rare errors still show up. */
  roundRandomly(x) {
    const whole = Math.floor(x);
    return whole + (this.random() < x - whole ? 1 : 0);
  }

  errorRate(minuteMs) {
    const { errorRate, recentErrorRate } = this.story;
    if (recentErrorRate !== undefined && minuteMs >= this.recentFromMs) {
      const burst = this.random() < 0.1;
      return (
        recentErrorRate *
        (burst ? this.between(1.5, 3) : this.between(0.7, 1.3))
      );
    }
    // As the sli events: most hours are clean, some burst.
    const hour = Math.floor(minuteMs / HOUR);
    if (this.hourMultiplier.hour !== hour) {
      this.hourMultiplier = {
        hour,
        value:
          this.random() < 0.8 ? this.between(0, 0.6) : this.between(1.5, 4),
      };
    }
    return errorRate * this.hourMultiplier.value;
  }

  /** `count` split by the shares of `outcomes`, appended to `into`. */
  split(count, outcomes, into) {
    let rest = count;
    for (let i = 0; i < outcomes.length - 1; i++) {
      const part = Math.min(
        rest,
        this.roundRandomly(count * outcomes[i].share),
      );
      into.push(part);
      rest -= part;
    }
    into.push(rest);
  }

  /** The requests, per label set, of the minute that starts at `this.atMs`. */
  nextMinute() {
    const total = this.roundRandomly(
      (this.story.requestsPerHour / 60) * this.between(0.8, 1.2),
    );
    const errors = Math.min(
      total,
      this.roundRandomly(total * this.errorRate(this.atMs)),
    );
    const minute = [];
    this.split(errors, this.story.bad, minute);
    this.split(total - errors, this.story.good, minute);
    return minute;
  }

  /** Moves the counts on by one minute. */
  advance() {
    for (let i = 0; i < this.counts.length; i++) {
      this.counts[i] += this.minute[i];
    }
    this.atMs += MINUTE;
    this.minute = this.nextMinute();
  }

  /**
   * The counts at any time from `this.atMs` on: whole minutes, plus the
   * share of the current minute that has passed, so that a scrape every
   * 15 s sees the counters grow smoothly.
   */
  valuesAt(timeMs) {
    while (timeMs >= this.atMs + MINUTE) this.advance();
    const passed = Math.max(0, timeMs - this.atMs) / MINUTE;
    return this.counts.map(
      (count, i) => count + Math.floor(this.minute[i] * passed),
    );
  }

  /** The counts at `timeMs` in Prometheus's text format, for a scrape. */
  exposition(timeMs) {
    const { metric, help } = this.story;
    const values = this.valuesAt(timeMs);
    return [
      `# HELP ${metric} ${help}`,
      `# TYPE ${metric} counter`,
      ...this.outcomes.map(
        ({ labels }, i) => `${seriesSelector(metric, labels)} ${values[i]}`,
      ),
      '',
    ].join('\n');
  }
}

/**
 * The example SLIs' counters for the `days` before `now`, one sample a
 * minute ending at the last minute boundary, as series for `toOpenMetrics`
 * (prometheusServer.js) labelled with each story's job and the `instance`
 * (host:port) Prometheus scrapes the live exporter at, so that scraped
 * samples continue the same series. `jobs` maps each job to the counters
 * that continue its history: `jobs.get(job).exposition(Date.now())` is what
 * the exporter serves for it.
 */
function exampleCounters({
  now = new Date(),
  days = 35,
  seed = 42,
  instance = '127.0.0.1:9464',
} = {}) {
  const nowMs = now instanceof Date ? now.getTime() : Number(now);
  const endMs = Math.floor(nowMs / MINUTE) * MINUTE;
  const startMs = endMs - days * DAY;
  const series = [];
  const jobs = new Map();
  EXAMPLE_STORIES.forEach((story, index) => {
    const counters = new StoryCounters({
      story,
      startMs,
      recentFromMs: endMs - RECENT_HOURS * HOUR,
      seed: seed + index,
    });
    const samples = counters.outcomes.map(() => []);
    for (;;) {
      for (let i = 0; i < samples.length; i++) {
        samples[i].push([counters.atMs, counters.counts[i]]);
      }
      if (counters.atMs >= endMs) break;
      counters.advance();
    }
    counters.outcomes.forEach(({ labels }, i) =>
      series.push({
        name: story.metric,
        labels: { ...labels, job: story.job, instance },
        samples: samples[i],
      }),
    );
    jobs.set(story.job, counters);
  });
  return { series, jobs };
}

module.exports = { exampleCounters, EXAMPLE_STORIES };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--instance');
  const instance = at >= 0 ? argv[at + 1] : undefined;
  process.stdout.write(toOpenMetrics(exampleCounters({ instance }).series));
}
