import {
  SourcePayload,
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import deploymentHook from './__fixtures__/deployment-hook.json';
import incidentClosedHook from './__fixtures__/incident-closed-hook.json';
import incidentOpenedHook from './__fixtures__/incident-opened-hook.json';
import issueHook from './__fixtures__/issue-hook.json';
import mergeRequestHook from './__fixtures__/merge-request-hook.json';
import mergeRequestMergedHook from './__fixtures__/merge-request-merged-hook.json';
import pipelineHook from './__fixtures__/pipeline-hook.json';
import pushHook from './__fixtures__/push-hook.json';
import { translateGitlabWebhook } from './translateGitlabWebhook';

// As the backend does with its default devopsPersonas.sources.productionEnvironments.
const context: SourceTranslationContext = {
  environment: name =>
    ['production', 'prod', 'live'].includes(name.toLowerCase())
      ? 'production'
      : name,
};

function hook(body: unknown, gitlabEvent?: string): SourcePayload {
  return {
    topic: 'gitlab',
    body,
    headers: {
      'content-type': 'application/json',
      'x-gitlab-token': 'a-secret',
      ...(gitlabEvent && { 'x-gitlab-event': gitlabEvent }),
    },
  };
}

/** A copy of a fixture with some fields changed, at the top and in `object_attributes`. */
function variant(
  fixture: object,
  top: Record<string, unknown>,
  attributes: Record<string, unknown> = {},
): unknown {
  const copy = JSON.parse(JSON.stringify(fixture));
  Object.assign(copy, top);
  if (copy.object_attributes) Object.assign(copy.object_attributes, attributes);
  return copy;
}

function translate(body: unknown, gitlabEvent?: string): SourceTranslation {
  return translateGitlabWebhook(hook(body, gitlabEvent), context);
}

function onlyEvent(translation: SourceTranslation) {
  if (translation.kind !== 'events') {
    throw new Error(`expected events, got ignored: ${translation.reason}`);
  }
  expect(translation.events).toHaveLength(1);
  return translation.events[0];
}

describe('translateGitlabWebhook', () => {
  describe('deployment hooks', () => {
    it('translates the documented example into a deployment', () => {
      expect(onlyEvent(translate(deploymentHook, 'Deployment Hook'))).toEqual({
        entity: {
          annotation: {
            key: 'gitlab.com/project-slug',
            value: 'root/test-deployment-webhooks',
          },
        },
        event: {
          type: 'deployment',
          id: 'root/test-deployment-webhooks#15',
          finishedAt: '2021-04-28T21:50:00+02:00',
          status: 'success',
          environment: 'staging',
          url: 'http://10.126.0.2:3000/root/test-deployment-webhooks/-/jobs/796',
        },
        changesMergedUntil: '2021-04-28T21:50:00+02:00',
      });
    });

    it('counts an environment of the production tier as production, whatever its name', () => {
      const body = variant(deploymentHook, {
        environment: 'eu-west',
        environment_tier: 'production',
      });
      expect(onlyEvent(translate(body)).event.environment).toBe('production');
    });

    it('names the environment by the configured production names when the tier is not production', () => {
      const live = variant(deploymentHook, {
        environment: 'Live',
        environment_tier: 'other',
      });
      expect(onlyEvent(translate(live)).event.environment).toBe('production');

      const noTier = variant(deploymentHook, {
        environment: 'review/feature-1',
        environment_tier: undefined,
      });
      expect(onlyEvent(translate(noTier)).event.environment).toBe(
        'review/feature-1',
      );
    });

    it('translates a failed deployment into a failure', () => {
      const body = variant(deploymentHook, { status: 'failed' });
      expect(onlyEvent(translate(body)).event).toMatchObject({
        id: 'root/test-deployment-webhooks#15',
        status: 'failure',
      });
    });

    it.each(['running', 'created', 'canceled', 'blocked', 'constructor'])(
      'ignores a %s deployment',
      status => {
        expect(translate(variant(deploymentHook, { status }))).toEqual({
          kind: 'ignored',
          reason: 'deployment-status-not-counted',
        });
      },
    );

    it('links the environment when the deployment ran without a job (API, trigger jobs)', () => {
      const body = variant(deploymentHook, {
        deployable_id: null,
        deployable_url: null,
      });
      expect(onlyEvent(translate(body)).event.url).toBe(
        'https://staging.example.com',
      );
    });

    it('leaves out links that are not http(s)', () => {
      const body = variant(deploymentHook, {
        deployable_url: null,
        environment_external_url: 'ftp://staging.example.com',
      });
      expect(onlyEvent(translate(body)).event).not.toHaveProperty('url');
    });
  });

  describe('merge request hooks', () => {
    it('translates a merge into a change', () => {
      expect(
        onlyEvent(translate(mergeRequestMergedHook, 'Merge Request Hook')),
      ).toEqual({
        entity: {
          annotation: {
            key: 'gitlab.com/project-slug',
            value: 'gitlabhq/gitlab-test',
          },
        },
        event: {
          type: 'change',
          id: 'gitlabhq/gitlab-test!1',
          createdAt: '2013-12-03T17:23:34Z',
          mergedAt: '2013-12-04T09:12:40Z',
          url: 'http://example.com/diaspora/merge_requests/1',
        },
      });
    });

    it('takes merged_at when GitLab sends it', () => {
      const body = variant(
        mergeRequestMergedHook,
        {},
        {
          merged_at: '2013-12-04 09:12:35 UTC',
          updated_at: '2013-12-04 09:15:00 UTC',
        },
      );
      expect(onlyEvent(translate(body)).event.mergedAt).toBe(
        '2013-12-04T09:12:35Z',
      );
    });

    it.each(['open', 'update', 'close', 'reopen', 'approved', 'approval'])(
      'ignores action %s',
      action => {
        const body = variant(mergeRequestHook, {}, { action });
        expect(translate(body)).toEqual({
          kind: 'ignored',
          reason: 'merge-request-not-merged',
        });
      },
    );

    it('ignores the documented example (an opened merge request)', () => {
      expect(translate(mergeRequestHook).kind).toBe('ignored');
    });
  });

  describe('pipeline hooks', () => {
    it('translates the documented example into a successful run', () => {
      expect(onlyEvent(translate(pipelineHook, 'Pipeline Hook'))).toEqual({
        entity: {
          annotation: {
            key: 'gitlab.com/project-slug',
            value: 'gitlab-org/gitlab-test',
          },
        },
        event: {
          type: 'pipeline-run',
          id: 'gitlab-org/gitlab-test#pipeline-31',
          finishedAt: '2016-08-12T15:26:29Z',
          status: 'success',
          durationSeconds: 63,
          url: 'http://example.com/gitlab-org/gitlab-test/-/pipelines/31',
        },
      });
    });

    it.each([
      ['failed', 'failure'],
      ['canceled', 'cancelled'],
    ])('translates status %s into %s', (status, expected) => {
      const body = variant(pipelineHook, {}, { status });
      expect(onlyEvent(translate(body)).event.status).toBe(expected);
    });

    it('leaves out a duration GitLab does not know', () => {
      const body = variant(pipelineHook, {}, { duration: null });
      expect(onlyEvent(translate(body)).event).not.toHaveProperty(
        'durationSeconds',
      );
    });

    it.each([
      'created',
      'waiting_for_resource',
      'preparing',
      'pending',
      'running',
      'canceling',
      'skipped',
      'manual',
      'scheduled',
      'toString',
    ])('ignores status %s', status => {
      const body = variant(pipelineHook, {}, { status, finished_at: null });
      expect(translate(body)).toEqual({
        kind: 'ignored',
        reason: 'pipeline-status-not-counted',
      });
    });
  });

  describe('issue hooks', () => {
    const entity = {
      annotation: {
        key: 'gitlab.com/project-slug',
        value: 'gitlabhq/gitlab-test',
      },
    };

    it('translates an opened incident into an incident start', () => {
      expect(onlyEvent(translate(incidentOpenedHook, 'Issue Hook'))).toEqual({
        entity,
        event: {
          type: 'incident',
          id: 'gitlabhq/gitlab-test#incident-23',
          startedAt: '2013-12-03T17:15:43Z',
          severity: 'high',
          url: 'http://example.com/gitlabhq/gitlab-test/-/issues/incident/23',
        },
      });
    });

    it('translates a closed incident into the same incident, resolved', () => {
      expect(onlyEvent(translate(incidentClosedHook, 'Issue Hook'))).toEqual({
        entity,
        event: {
          type: 'incident',
          id: 'gitlabhq/gitlab-test#incident-23',
          startedAt: '2013-12-03T17:15:43Z',
          resolvedAt: '2013-12-03T19:45:10Z',
          severity: 'high',
          url: 'http://example.com/gitlabhq/gitlab-test/-/issues/incident/23',
        },
      });
    });

    it('takes updated_at as the resolution time when closed_at is missing', () => {
      const body = variant(
        incidentClosedHook,
        {},
        { closed_at: null, updated_at: '2013-12-03 20:00:00 UTC' },
      );
      expect(onlyEvent(translate(body)).event.resolvedAt).toBe(
        '2013-12-03T20:00:00Z',
      );
    });

    it('counts an update of a closed incident as resolved', () => {
      const body = variant(incidentClosedHook, {}, { action: 'update' });
      expect(onlyEvent(translate(body)).event.resolvedAt).toBe(
        '2013-12-03T19:45:10Z',
      );
    });

    it('unresolves a reopened incident', () => {
      const body = variant(
        incidentClosedHook,
        {},
        { action: 'reopen', state: 'opened', state_id: 1, closed_at: null },
      );
      expect(onlyEvent(translate(body)).event).not.toHaveProperty('resolvedAt');
    });

    it('reads incidents sent as work item hooks', () => {
      const body = variant(incidentOpenedHook, { object_kind: 'work_item' });
      expect(onlyEvent(translate(body)).event.id).toBe(
        'gitlabhq/gitlab-test#incident-23',
      );
    });

    it('reads incidents of GitLab before 17.2, which name the type in issue_type', () => {
      const body = variant(
        incidentOpenedHook,
        {},
        { type: undefined, issue_type: 'incident' },
      );
      expect(onlyEvent(translate(body)).event.type).toBe('incident');
    });

    it('leaves out a severity nobody set', () => {
      const body = variant(incidentOpenedHook, {}, { severity: 'unknown' });
      expect(onlyEvent(translate(body)).event).not.toHaveProperty('severity');
    });

    it('ignores issues that are not incidents (the documented example)', () => {
      expect(translate(issueHook, 'Issue Hook')).toEqual({
        kind: 'ignored',
        reason: 'issue-not-incident',
      });
    });

    it.each(['Task', 'Epic', 'Test Case'])('ignores %s work items', type => {
      const body = variant(issueHook, { object_kind: 'work_item' }, { type });
      expect(translate(body)).toEqual({
        kind: 'ignored',
        reason: 'issue-not-incident',
      });
    });
  });

  describe('other hooks', () => {
    it('ignores a push (the documented example)', () => {
      expect(translate(pushHook, 'Push Hook')).toEqual({
        kind: 'ignored',
        reason: 'event-kind-not-counted',
      });
    });

    it.each(['note', 'build', 'tag_push', 'release', 'wiki_page', 'emoji'])(
      'ignores %s hooks',
      objectKind => {
        expect(translate({ object_kind: objectKind }).kind).toBe('ignored');
      },
    );

    it('ignores a body without a kind, and a kind in a header it does not read', () => {
      expect(translate({}).kind).toBe('ignored');
      expect(translate({ ref: 'refs/heads/main' }, 'Push Hook').kind).toBe(
        'ignored',
      );
      expect(translate({}, 'constructor').kind).toBe('ignored');
    });

    it('reads the kind from X-Gitlab-Event when the body has no object_kind', () => {
      const body = variant(deploymentHook, { object_kind: undefined });
      expect(onlyEvent(translate(body, 'Deployment Hook')).event.type).toBe(
        'deployment',
      );
    });
  });

  describe('malformed hooks', () => {
    it.each([null, 'text', 42, [deploymentHook]])(
      'refuses a body that is not an object: %p',
      body => {
        expect(() => translate(body)).toThrow(
          'A GitLab webhook body must be a JSON object',
        );
      },
    );

    it.each<[string, unknown, string]>([
      [
        'a deployment without a project',
        variant(deploymentHook, { project: undefined }),
        'GitLab deployment hook: project must be an object; got nothing',
      ],
      [
        'a deployment whose project has no path',
        variant(deploymentHook, {
          project: { id: 30, path_with_namespace: '' },
        }),
        'GitLab deployment hook: project.path_with_namespace must be a non-empty string; got an empty string',
      ],
      [
        'a deployment without a status',
        variant(deploymentHook, { status: undefined }),
        'GitLab deployment hook: status must be a non-empty string',
      ],
      [
        'a deployment with an unreadable time',
        variant(deploymentHook, { status_changed_at: '28/04/2021 21:50' }),
        'GitLab deployment hook: status_changed_at must be a GitLab timestamp',
      ],
      [
        'a deployment without an id',
        variant(deploymentHook, { deployment_id: 'fifteen' }),
        'GitLab deployment hook: deployment_id must be a whole number; got a string',
      ],
      [
        'a deployment without an environment',
        variant(deploymentHook, { environment: null }),
        'GitLab deployment hook: environment must be a non-empty string; got null',
      ],
      [
        'a merge request without attributes',
        variant(mergeRequestMergedHook, { object_attributes: [] }),
        'GitLab merge_request hook: object_attributes must be an object; got an array',
      ],
      [
        'a merge without an iid',
        variant(mergeRequestMergedHook, {}, { iid: null }),
        'GitLab merge_request hook: object_attributes.iid must be a whole number; got null',
      ],
      [
        'a merge without created_at',
        variant(mergeRequestMergedHook, {}, { created_at: undefined }),
        'GitLab merge_request hook: object_attributes.created_at must be a GitLab timestamp',
      ],
      [
        'a pipeline without a status',
        variant(pipelineHook, {}, { status: 7 }),
        'GitLab pipeline hook: object_attributes.status must be a non-empty string; got a number',
      ],
      [
        'a finished pipeline without finished_at',
        variant(pipelineHook, {}, { finished_at: null }),
        'GitLab pipeline hook: object_attributes.finished_at must be a GitLab timestamp',
      ],
      [
        'a pipeline with a negative duration',
        variant(pipelineHook, {}, { duration: -1 }),
        'GitLab pipeline hook: object_attributes.duration must be a number of seconds; got a number',
      ],
      [
        'an incident that is neither opened nor closed',
        variant(incidentOpenedHook, {}, { state: 'locked', action: 'update' }),
        'GitLab issue hook: object_attributes.state must be "opened" or "closed"; got "locked" with action "update"',
      ],
      [
        'a closed incident without any time of closing',
        variant(incidentClosedHook, {}, { closed_at: null, updated_at: null }),
        'GitLab issue hook: object_attributes.updated_at must be a GitLab timestamp',
      ],
      [
        'an incident whose severity is not text',
        variant(incidentOpenedHook, {}, { severity: 3 }),
        'GitLab issue hook: object_attributes.severity must be a string; got a number',
      ],
    ])('refuses %s', (_, body, message) => {
      expect(() => translate(body)).toThrow(message);
    });
  });
});
