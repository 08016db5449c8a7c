import { SourceTranslationContext } from '@devops-personas/plugin-devops-personas-node';
import {
  recordedPayload,
  recordedPayloads,
} from '../__testUtils__/recordedPayloads';
import { translateGithubPayload } from './translateGithubPayload';

// As the backend does it with its default production environments.
const context: SourceTranslationContext = {
  environment: jest.fn((name: string) =>
    ['production', 'prod', 'live'].includes(name.toLowerCase())
      ? 'production'
      : name,
  ),
};

function translate(eventName: string | undefined, body: unknown) {
  return translateGithubPayload(
    {
      topic: 'github',
      body,
      headers: {
        'content-type': 'application/json',
        ...(eventName !== undefined && { 'x-github-event': eventName }),
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      },
    },
    context,
  );
}

const slug = (value: string) => ({
  annotation: { key: 'github.com/project-slug', value },
});

describe('translateGithubPayload', () => {
  beforeEach(() => jest.clearAllMocks());

  describe('deployment_status', () => {
    const recordedSuccess = () =>
      recordedPayload(
        'deployment_status',
        p => p.deployment_status.state === 'success',
      );

    it('turns a recorded successful deployment into a deployment', () => {
      expect(translate('deployment_status', recordedSuccess())).toEqual({
        kind: 'events',
        events: [
          {
            entity: slug('Codertocat/Hello-World'),
            event: {
              type: 'deployment',
              id: 'Codertocat/Hello-World#145988746',
              status: 'success',
              environment: 'production',
              startedAt: '2019-05-15T15:20:53Z',
              finishedAt: '2019-05-15T15:20:55Z',
            },
            changesMergedUntil: '2019-05-15T15:20:53Z',
          },
        ],
      });
      expect(context.environment).toHaveBeenCalledWith('production');
    });

    it.each(['failure', 'error'])(
      'stores the final state %s as a failure',
      state => {
        const payload = recordedSuccess();
        payload.deployment_status.state = state;
        const result = translate('deployment_status', payload);
        expect(result).toMatchObject({
          kind: 'events',
          events: [
            {
              event: {
                id: 'Codertocat/Hello-World#145988746',
                status: 'failure',
              },
            },
          ],
        });
      },
    );

    it('keeps the name of an environment that is not production', () => {
      const payload = recordedSuccess();
      payload.deployment.environment = 'Staging-EU';
      const result = translate('deployment_status', payload);
      expect(context.environment).toHaveBeenCalledWith('Staging-EU');
      expect(result).toMatchObject({
        events: [{ event: { environment: 'Staging-EU' } }],
      });
    });

    it('asks the backend whether an environment counts as production', () => {
      const payload = recordedSuccess();
      payload.deployment.environment = 'PROD';
      expect(translate('deployment_status', payload)).toMatchObject({
        events: [{ event: { environment: 'production' } }],
      });
    });

    it('ignores the recorded in-progress status', () => {
      const payload = recordedPayload(
        'deployment_status',
        p => p.deployment_status.state === 'in_progress',
      );
      expect(translate('deployment_status', payload)).toEqual({
        kind: 'ignored',
        reason: 'deployment_status:in_progress',
      });
    });

    it.each(['pending', 'queued', 'inactive'])(
      'ignores the state %s',
      state => {
        const payload = recordedSuccess();
        payload.deployment_status.state = state;
        expect(translate('deployment_status', payload)).toEqual({
          kind: 'ignored',
          reason: `deployment_status:${state}`,
        });
      },
    );

    it('links the target URL, else the log URL, else the environment URL', () => {
      const payload = recordedSuccess();
      payload.deployment_status.target_url = 'https://ci.example.com/builds/1';
      payload.deployment_status.log_url = 'https://ci.example.com/logs/1';
      payload.deployment_status.environment_url = 'https://shop.example.com';
      const url = () =>
        (translate('deployment_status', payload) as any).events[0].event.url;

      expect(url()).toBe('https://ci.example.com/builds/1');
      payload.deployment_status.target_url = '';
      expect(url()).toBe('https://ci.example.com/logs/1');
      payload.deployment_status.log_url = null;
      expect(url()).toBe('https://shop.example.com');
      payload.deployment_status.environment_url = 'ftp://shop.example.com/';
      expect(url()).toBeUndefined();
      payload.deployment_status.environment_url = `https://shop.example.com/${'a'.repeat(
        2100,
      )}`;
      expect(url()).toBeUndefined();
    });
  });

  describe('pull_request', () => {
    // GitHub records no merged pull request; this is its recorded "closed"
    // payload with the fields GitHub sets when the pull request is merged.
    const recordedMerged = () => {
      const payload = recordedPayload(
        'pull_request',
        p => p.action === 'closed',
      );
      payload.pull_request.merged = true;
      payload.pull_request.merged_at = payload.pull_request.closed_at;
      return payload;
    };

    it('turns a merged pull request into a change', () => {
      expect(translate('pull_request', recordedMerged())).toEqual({
        kind: 'events',
        events: [
          {
            entity: slug('Codertocat/Hello-World'),
            event: {
              type: 'change',
              id: 'Codertocat/Hello-World#2',
              createdAt: '2019-05-15T15:20:33Z',
              mergedAt: '2019-05-15T15:21:18Z',
              url: 'https://github.com/Codertocat/Hello-World/pull/2',
            },
          },
        ],
      });
    });

    it('ignores the recorded pull requests closed without merging', () => {
      const closed = recordedPayloads('pull_request').filter(
        p => p.action === 'closed',
      );
      expect(closed.length).toBeGreaterThan(0);
      for (const payload of closed) {
        expect(translate('pull_request', payload)).toEqual({
          kind: 'ignored',
          reason: 'pull_request:closed_unmerged',
        });
      }
    });

    it('ignores every other recorded action', () => {
      const others = recordedPayloads('pull_request').filter(
        p => p.action !== 'closed',
      );
      expect(new Set(others.map(p => p.action)).size).toBeGreaterThanOrEqual(
        10,
      );
      for (const payload of others) {
        expect(translate('pull_request', payload)).toEqual({
          kind: 'ignored',
          reason: `pull_request:${payload.action}`,
        });
      }
    });
  });

  describe('workflow_run', () => {
    const recordedSuccess = () =>
      recordedPayload(
        'workflow_run',
        p =>
          p.action === 'completed' && p.workflow_run.conclusion === 'success',
      );

    it('turns a recorded completed run into a pipeline run', () => {
      expect(translate('workflow_run', recordedSuccess())).toEqual({
        kind: 'events',
        events: [
          {
            entity: slug('octo-org/octo-repo'),
            event: {
              type: 'pipeline-run',
              id: 'octo-org/octo-repo#289782451-1',
              status: 'success',
              finishedAt: '2020-10-05T16:33:49Z',
              flaky: false,
              durationSeconds: 0,
              url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
            },
          },
        ],
      });
    });

    it('measures the duration from the start of the attempt', () => {
      const payload = recordedSuccess();
      payload.workflow_run.run_started_at = '2020-10-05T16:31:19Z';
      expect(translate('workflow_run', payload)).toMatchObject({
        events: [{ event: { durationSeconds: 150 } }],
      });
    });

    it('gives no duration when GitHub says nothing about the start', () => {
      const payload = recordedSuccess();
      delete payload.workflow_run.run_started_at;
      expect(
        (translate('workflow_run', payload) as any).events[0].event,
      ).not.toHaveProperty('durationSeconds');
      payload.workflow_run.run_started_at = '2020-10-05T16:40:00Z';
      expect(
        (translate('workflow_run', payload) as any).events[0].event,
      ).not.toHaveProperty('durationSeconds');
    });

    it.each([
      ['failure', 'failure'],
      ['timed_out', 'failure'],
      ['cancelled', 'cancelled'],
    ])('stores the conclusion %s as %s', (conclusion, status) => {
      const payload = recordedSuccess();
      payload.workflow_run.conclusion = conclusion;
      expect(translate('workflow_run', payload)).toMatchObject({
        events: [{ event: { status, flaky: false } }],
      });
    });

    it('gives each attempt its own id and calls a successful re-run flaky', () => {
      const payload = recordedSuccess();
      payload.workflow_run.run_attempt = 2;
      expect(translate('workflow_run', payload)).toMatchObject({
        events: [
          {
            event: {
              id: 'octo-org/octo-repo#289782451-2',
              status: 'success',
              flaky: true,
            },
          },
        ],
      });
      payload.workflow_run.conclusion = 'failure';
      expect(translate('workflow_run', payload)).toMatchObject({
        events: [
          {
            event: {
              id: 'octo-org/octo-repo#289782451-2',
              status: 'failure',
              flaky: false,
            },
          },
        ],
      });
    });

    it.each([
      'skipped',
      'neutral',
      'action_required',
      'stale',
      'startup_failure',
    ])('ignores the conclusion %s', conclusion => {
      const payload = recordedSuccess();
      payload.workflow_run.conclusion = conclusion;
      expect(translate('workflow_run', payload)).toEqual({
        kind: 'ignored',
        reason: `workflow_run:${conclusion}`,
      });
    });

    it('ignores the recorded completed run that has no conclusion', () => {
      const payload = recordedPayload(
        'workflow_run',
        p => p.action === 'completed' && p.workflow_run.conclusion === null,
      );
      expect(translate('workflow_run', payload)).toEqual({
        kind: 'ignored',
        reason: 'workflow_run:none',
      });
    });

    it('ignores the recorded requested runs', () => {
      const requested = recordedPayloads('workflow_run').filter(
        p => p.action === 'requested',
      );
      expect(requested.length).toBeGreaterThan(0);
      for (const payload of requested) {
        expect(translate('workflow_run', payload)).toEqual({
          kind: 'ignored',
          reason: 'workflow_run:requested',
        });
      }
    });
  });

  describe('dependabot_alert', () => {
    const recordedCreated = () =>
      recordedPayload('dependabot_alert', p => p.action === 'created');

    it('turns a recorded new alert into an open vulnerability', () => {
      expect(translate('dependabot_alert', recordedCreated())).toEqual({
        kind: 'events',
        events: [
          {
            entity: slug('wolfy1339/pika-pack'),
            event: {
              type: 'vulnerability',
              id: 'wolfy1339/pika-pack#20',
              severity: 'medium',
              detectedAt: '2023-06-24T13:57:12Z',
              url: 'https://github.com/wolfy1339/pika-pack/security/dependabot/20',
            },
          },
        ],
      });
    });

    it('turns a recorded fixed alert into a fixed vulnerability', () => {
      const payload = recordedPayload(
        'dependabot_alert',
        p => p.action === 'fixed',
      );
      expect(translate('dependabot_alert', payload)).toEqual({
        kind: 'events',
        events: [
          {
            entity: slug('octocat/hello-world'),
            event: {
              type: 'vulnerability',
              id: 'octocat/hello-world#1',
              severity: 'medium',
              detectedAt: '2022-06-14T15:21:52Z',
              fixedAt: '2022-06-15T13:55:40Z',
              url: 'https://github.com/octocat/hello-world/security/dependabot/1',
            },
          },
        ],
      });
    });

    // GitHub records no dismissal; this is its recorded new alert with the
    // fields GitHub sets when someone dismisses it.
    const recordedDismissed = () => {
      const payload = recordedCreated();
      payload.action = 'dismissed';
      Object.assign(payload.alert, {
        state: 'dismissed',
        dismissed_at: '2023-06-26T09:00:00Z',
        dismissed_by: payload.sender,
        dismissed_reason: 'tolerable_risk',
        dismissed_comment: 'Only reachable from a build script',
        updated_at: '2023-06-26T09:00:00Z',
      });
      return payload;
    };

    it('turns a dismissed alert into a vulnerability dismissed without a fix', () => {
      const event = (translate('dependabot_alert', recordedDismissed()) as any)
        .events[0].event;
      expect(event).toEqual({
        type: 'vulnerability',
        id: 'wolfy1339/pika-pack#20',
        severity: 'medium',
        detectedAt: '2023-06-24T13:57:12Z',
        dismissedAt: '2023-06-26T09:00:00Z',
        url: 'https://github.com/wolfy1339/pika-pack/security/dependabot/20',
      });
    });

    it('never gives a dismissed alert a fix time, even one GitHub kept', () => {
      const payload = recordedDismissed();
      payload.alert.fixed_at = '2023-06-25T00:00:00Z';
      const event = (translate('dependabot_alert', payload) as any).events[0]
        .event;
      expect(event).not.toHaveProperty('fixedAt');
      expect(event.dismissedAt).toBe('2023-06-26T09:00:00Z');
    });

    it('dates an automatic dismissal by its own time', () => {
      const payload = recordedCreated();
      payload.action = 'auto_dismissed';
      Object.assign(payload.alert, {
        state: 'auto_dismissed',
        auto_dismissed_at: '2023-06-27T00:00:00Z',
      });
      expect(translate('dependabot_alert', payload)).toMatchObject({
        events: [{ event: { dismissedAt: '2023-06-27T00:00:00Z' } }],
      });
    });

    it('stores a reopened alert as open again', () => {
      const payload = recordedPayload(
        'dependabot_alert',
        p => p.action === 'fixed',
      );
      payload.action = 'reopened';
      Object.assign(payload.alert, { state: 'open', fixed_at: null });
      const event = (translate('dependabot_alert', payload) as any).events[0]
        .event;
      expect(event).not.toHaveProperty('fixedAt');
      expect(event).not.toHaveProperty('dismissedAt');
      expect(event.id).toBe('octocat/hello-world#1');
    });

    it.each([
      ['critical', 'critical'],
      ['high', 'high'],
      ['moderate', 'medium'],
      ['medium', 'medium'],
      ['low', 'low'],
    ])(
      'stores the advisory severity %s as %s',
      (advisorySeverity, severity) => {
        const payload = recordedCreated();
        payload.alert.security_advisory.severity = advisorySeverity;
        expect(translate('dependabot_alert', payload)).toMatchObject({
          events: [{ event: { severity } }],
        });
      },
    );
  });

  describe('events that are not counted', () => {
    it.each(['ping', 'push'])('ignores the recorded %s payloads', eventName => {
      for (const payload of recordedPayloads(eventName)) {
        expect(translate(eventName, payload)).toEqual({
          kind: 'ignored',
          reason: `event:${eventName}`,
        });
      }
    });

    it.each(['issues', 'check_run', 'deployment', 'release', 'star'])(
      'ignores %s',
      eventName => {
        expect(translate(eventName, { action: 'created' })).toEqual({
          kind: 'ignored',
          reason: `event:${eventName}`,
        });
      },
    );

    it('never reads the body of an event it ignores', () => {
      expect(translate('push', null)).toEqual({
        kind: 'ignored',
        reason: 'event:push',
      });
      expect(translate('ping', 'zen')).toEqual({
        kind: 'ignored',
        reason: 'event:ping',
      });
    });

    it('keeps an odd event name out of the counter keys', () => {
      expect(translate('Weird Event!', {})).toEqual({
        kind: 'ignored',
        reason: 'event:other',
      });
      expect(translate('constructor', {})).toEqual({
        kind: 'ignored',
        reason: 'event:constructor',
      });
      expect(translate('__proto__', {})).toEqual({
        kind: 'ignored',
        reason: 'event:other',
      });
    });

    it('keeps an odd state out of the counter keys', () => {
      const payload = recordedPayload('deployment_status');
      payload.deployment_status.state = 'Something\nelse';
      expect(translate('deployment_status', payload)).toEqual({
        kind: 'ignored',
        reason: 'deployment_status:other',
      });
    });
  });

  describe('payloads it cannot read', () => {
    it('refuses a delivery without X-GitHub-Event', () => {
      expect(() => translate(undefined, recordedPayload('push'))).toThrow(
        'Cannot read GitHub payload: the X-GitHub-Event header is missing',
      );
      expect(() => translate('  ', recordedPayload('push'))).toThrow(
        /X-GitHub-Event/,
      );
    });

    it.each([null, 'payload=%7B%7D', [1, 2], 42])(
      'refuses the body %p',
      body => {
        expect(() => translate('workflow_run', body)).toThrow(
          'Cannot read GitHub workflow_run payload: the body is not a JSON object',
        );
      },
    );

    it.each<[string, string, () => any]>([
      [
        'deployment_status',
        'Cannot read GitHub deployment_status payload: repository.full_name must be a non-empty string; it is missing',
        () => {
          const p = recordedPayload('deployment_status');
          delete p.repository;
          return p;
        },
      ],
      [
        'deployment_status',
        'deployment_status.state must be a non-empty string; it is missing',
        () => {
          const p = recordedPayload('deployment_status');
          delete p.deployment_status;
          return p;
        },
      ],
      [
        'deployment_status',
        'deployment.id must be a whole number; got "145988746"',
        () => {
          const p = recordedPayload('deployment_status');
          p.deployment.id = '145988746';
          return p;
        },
      ],
      [
        'deployment_status',
        'deployment_status.created_at must be an ISO 8601 timestamp; got "yesterday"',
        () => {
          const p = recordedPayload('deployment_status');
          p.deployment_status.created_at = 'yesterday';
          return p;
        },
      ],
      [
        'deployment_status',
        'deployment.environment must be a non-empty string; got an array',
        () => {
          const p = recordedPayload('deployment_status');
          p.deployment.environment = ['production'];
          return p;
        },
      ],
      [
        'deployment_status',
        'deployment_status.target_url must be a string or null; got 7',
        () => {
          const p = recordedPayload('deployment_status');
          p.deployment_status.target_url = 7;
          return p;
        },
      ],
      [
        'pull_request',
        'pull_request.merged must be true or false; it is missing',
        () => {
          const p = recordedPayload('pull_request', x => x.action === 'closed');
          delete p.pull_request.merged;
          return p;
        },
      ],
      [
        'pull_request',
        'pull_request.merged_at must be an ISO 8601 timestamp; got null',
        () => {
          const p = recordedPayload('pull_request', x => x.action === 'closed');
          p.pull_request.merged = true;
          return p;
        },
      ],
      [
        'pull_request',
        'Cannot read GitHub pull_request payload: action must be a non-empty string; it is missing',
        () => {
          const p = recordedPayload('pull_request', x => x.action === 'closed');
          delete p.action;
          return p;
        },
      ],
      [
        'workflow_run',
        'workflow_run.run_attempt must be a whole number; it is missing',
        () => {
          const p = recordedPayload(
            'workflow_run',
            x => x.workflow_run.conclusion === 'success',
          );
          delete p.workflow_run.run_attempt;
          return p;
        },
      ],
      [
        'workflow_run',
        'workflow_run.conclusion must be a string or null; got an object',
        () => {
          const p = recordedPayload(
            'workflow_run',
            x => x.workflow_run.conclusion === 'success',
          );
          p.workflow_run.conclusion = { value: 'success' };
          return p;
        },
      ],
      [
        'workflow_run',
        'workflow_run.run_started_at must be an ISO 8601 timestamp; got 1601915629',
        () => {
          const p = recordedPayload(
            'workflow_run',
            x => x.workflow_run.conclusion === 'success',
          );
          p.workflow_run.run_started_at = 1601915629;
          return p;
        },
      ],
      [
        'dependabot_alert',
        'alert.security_advisory.severity must be one of critical, high, moderate, medium, low; got "severe"',
        () => {
          const p = recordedPayload(
            'dependabot_alert',
            x => x.action === 'created',
          );
          p.alert.security_advisory.severity = 'severe';
          return p;
        },
      ],
      [
        'dependabot_alert',
        'alert.dismissed_at must be an ISO 8601 timestamp; got null',
        () => {
          const p = recordedPayload(
            'dependabot_alert',
            x => x.action === 'created',
          );
          p.alert.state = 'dismissed';
          return p;
        },
      ],
      [
        'dependabot_alert',
        'alert.fixed_at must be an ISO 8601 timestamp; got null',
        () => {
          const p = recordedPayload(
            'dependabot_alert',
            x => x.action === 'fixed',
          );
          p.alert.fixed_at = null;
          return p;
        },
      ],
      [
        'dependabot_alert',
        'alert.number must be a whole number; got 20.5',
        () => {
          const p = recordedPayload(
            'dependabot_alert',
            x => x.action === 'created',
          );
          p.alert.number = 20.5;
          return p;
        },
      ],
    ])('refuses a %s payload: %s', (eventName, message, payload) => {
      expect(() => translate(eventName, payload())).toThrow(message);
    });

    it('does not follow inherited properties', () => {
      const payload = recordedPayload('deployment_status');
      payload.repository = Object.create({ full_name: 'evil/inherited' });
      expect(() => translate('deployment_status', payload)).toThrow(
        'repository.full_name must be a non-empty string; it is missing',
      );
    });
  });

  it('keeps the repository name as GitHub sends it', () => {
    const payload = recordedPayload('pull_request', p => p.action === 'closed');
    Object.assign(payload.pull_request, {
      merged: true,
      merged_at: '2019-05-15T15:21:18Z',
    });
    payload.repository.full_name = 'CoderToCat/Hello-World';
    expect(translate('pull_request', payload)).toMatchObject({
      events: [
        {
          entity: slug('CoderToCat/Hello-World'),
          event: { id: 'CoderToCat/Hello-World#2' },
        },
      ],
    });
  });
});
