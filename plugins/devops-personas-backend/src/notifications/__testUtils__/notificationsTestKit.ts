import { startTestBackend, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { NOTIFICATIONS_TASK_ID } from '../scheduleNotifications';

/* Helpers of the notification tests: events to send, runs through the scheduler, and inboxes read from the notifications backend. */

export type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const USERS = ['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'ivan', 'judy', 'ken'];

export interface Received {
  title: string;
  description: string;
  link: string;
  severity: string;
  scope: string;
}

export async function inbox(server: Server, user: string): Promise<Received[]> {
  const res = await request(server)
    .get('/api/notifications/notifications?limit=100')
    .set('Authorization', mockCredentials.user.header(`user:default/${user}`));
  if (res.status !== 200) throw new Error(`notifications of ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.notifications
    .map((n: { payload: Received }) => ({
      title: n.payload.title,
      description: n.payload.description,
      link: n.payload.link,
      severity: n.payload.severity,
      scope: n.payload.scope,
    }))
    .sort((a: Received, b: Received) => a.scope.localeCompare(b.scope));
}

/** Every user's notifications, as `scope → title` per user with any. */
export async function inboxes(server: Server) {
  const out: Record<string, Record<string, string>> = {};
  for (const user of USERS) {
    const received = await inbox(server, user);
    if (received.length) out[user] = Object.fromEntries(received.map(n => [n.scope, n.title]));
  }
  return out;
}

export async function taskEndedAt(server: Server, taskId = NOTIFICATIONS_TASK_ID): Promise<string | undefined> {
  const res = await request(server)
    .get('/api/devops-personas/.backstage/scheduler/v1/tasks')
    .set('Authorization', mockCredentials.service.header());
  const task = res.body.tasks?.find((t: { taskId: string }) => t.taskId === taskId);
  return task?.taskState?.lastRunEndedAt;
}

/** Runs the notification task through the scheduler's own route and waits for the run to end. */
export async function runNotifications(server: Server, taskId = NOTIFICATIONS_TASK_ID) {
  const before = await taskEndedAt(server, taskId);
  const res = await request(server)
    .post(`/api/devops-personas/.backstage/scheduler/v1/tasks/${taskId}/trigger`)
    .set('Authorization', mockCredentials.service.header());
  expect(res.status).toBe(200);
  const deadline = Date.now() + 120_000;
  while ((await taskEndedAt(server, taskId)) === before) {
    if (Date.now() > deadline) throw new Error('The notification run did not end in time');
    await new Promise(r => setTimeout(r, 250));
  }
}

export async function send(server: Server, events: object[]) {
  const res = await request(server)
    .post('/api/devops-personas/v1/events')
    .set('Authorization', mockCredentials.service.header())
    .send({ events });
  expect(res.status).toBe(202);
}

export const at = (ms: number) => new Date(ms).toISOString();
export const deployments = (entity: string, prefix: string, count: number, startMs: number, status = 'success') =>
  Array.from({ length: count }, (_, i) => ({
    type: 'deployment',
    id: `${prefix}-${i}`,
    entityRef: `component:default/${entity}`,
    finishedAt: at(startMs + i * HOUR),
    status,
  }));
export const runs = (prefix: string, count: number, startMs: number, status: string) =>
  Array.from({ length: count }, (_, i) => ({
    type: 'pipeline-run',
    id: `${prefix}-${i}`,
    entityRef: 'component:default/checkout',
    finishedAt: at(startMs + i * 10 * 60_000),
    status,
  }));
export const alerts = (prefix: string, count: number, startMs: number, actionable: boolean) =>
  Array.from({ length: count }, (_, i) => ({
    type: 'alert',
    id: `${prefix}-${i}`,
    entityRef: 'component:default/checkout',
    firedAt: at(startMs + i * HOUR),
    actionable,
  }));

export const scope = (entity: string, condition: string) => `devops-personas:component:default/${entity}:${condition}`;

