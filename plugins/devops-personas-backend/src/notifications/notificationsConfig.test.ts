import { ConfigReader } from '@backstage/config';
import { readNotificationsConfig, TRANSITIONS } from './notificationsConfig';

const KPIS = ['change-failure-rate', 'alert-noise'];
const read = (devopsPersonas: object) => readNotificationsConfig(new ConfigReader({ devopsPersonas }), KPIS);

describe('readNotificationsConfig', () => {
  it('defaults to every 15 minutes, all transitions, Monday, 30 days, sending', () => {
    const config = read({});
    expect(config).toMatchObject({
      enabled: true,
      dryRun: false,
      windowMs: 30 * 86_400_000,
      schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 }, initialDelay: { seconds: 30 } },
      review: { enabled: true, weekday: 1, dayName: 'monday' },
    });
    expect([...config.transitions]).toEqual([...TRANSITIONS]);
    expect(config.excludeKpis.size).toBe(0);
  });

  it('reads every setting, keeping the default delay and time limit of a schedule that leaves them out', () => {
    const config = read({
      notifications: {
        schedule: { frequency: { hours: 1 } },
        dryRun: true,
        transitions: ['slo-page', 'recovery'],
        excludeKpis: ['alert-noise'],
        window: '12h',
      },
      review: { day: 'Friday', enabled: false },
    });
    expect(config.schedule).toEqual({
      frequency: { hours: 1 },
      initialDelay: { seconds: 30 },
      timeout: { minutes: 10 },
    });
    expect(config).toMatchObject({ dryRun: true, windowMs: 12 * 3_600_000, review: { enabled: false, weekday: 5 } });
    expect([...config.transitions]).toEqual(['slo-page', 'recovery']);
    expect([...config.excludeKpis]).toEqual(['alert-noise']);
  });

  it.each([
    [{ notifications: { transitions: ['kpi-miss'] } }, /notifications\.transitions: "kpi-miss" is not a transition/],
    [{ notifications: { excludeKpis: ['uptime'] } }, /notifications\.excludeKpis: "uptime" is not a KPI; known KPIs are change-failure-rate, alert-noise/],
    [{ notifications: { window: '30m' } }, /notifications\.window: must be whole hours or days/],
    [{ notifications: { window: 'soon' } }, /notifications\.window: window must be a positive duration/],
    [{ notifications: { schedule: { frequency: 'often' } } }, /notifications\.schedule/],
    [{ review: { day: 'someday' } }, /review\.day: "someday" is not a weekday/],
  ])('refuses %j at startup, naming the key', (devopsPersonas, message) => {
    expect(() => read(devopsPersonas)).toThrow(message);
  });
});
