import {
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import {
  MODES,
  SPEC_RELEASES,
  binaryRequest,
  example,
  payloadOf,
  structuredRequest,
} from './__testUtils__/cloudEvents';
import { translateCdevent } from './translate';

/** As the backend does it, with its default production names. */
const context: SourceTranslationContext = {
  environment: name =>
    ['production', 'prod', 'live'].includes(name.trim().toLowerCase())
      ? 'production'
      : name,
};

const eventsOf = (translation: SourceTranslation) => {
  if (translation.kind !== 'events') {
    throw new Error(`expected events, got ${JSON.stringify(translation)}`);
  }
  return translation.events;
};

const subjectLocator = (value: string) => ({
  annotation: { key: 'devops-personas.io/cdevents-subject', value },
  entityRef: value,
});
/** The subject first, only then the referenced entity (SPEC §8's rule). */
const subjectThenReferenced = (subject: string, referenced: string) => ({
  ...subjectLocator(subject),
  alternatives: [subjectLocator(referenced)],
});

describe.each(SPEC_RELEASES)('translateCdevent on the %s examples', release => {
  describe.each(Object.entries(MODES))(
    'sent in %s mode',
    (_mode, toRequest) => {
      const translate = (name: string) =>
        translateCdevent(payloadOf(toRequest(example(release, name))), context);

      it('turns service.deployed into a successful deployment of the subject', () => {
        expect(eventsOf(translate('service_deployed'))).toEqual([
          {
            entity: subjectLocator('mySubject123'),
            event: {
              type: 'deployment',
              id: '271069a8-fc18-44f1-b38f-9d70a1695819',
              finishedAt: '2023-03-20T14:27:05.315384Z',
              status: 'success',
              environment: 'test123',
            },
            changesMergedUntil: '2023-03-20T14:27:05.315384Z',
          },
        ]);
      });

      it('turns service.upgraded into a successful deployment', () => {
        const [event] = eventsOf(translate('service_upgraded'));
        expect(event.event).toMatchObject({
          type: 'deployment',
          status: 'success',
          environment: 'test123',
        });
        expect(event.entity).toEqual(subjectLocator('mySubject123'));
      });

      it('turns service.rolledback into a rolled_back deployment that ships no changes', () => {
        expect(eventsOf(translate('service_rolledback'))).toEqual([
          {
            entity: subjectLocator('mySubject123'),
            event: {
              type: 'deployment',
              id: '271069a8-fc18-44f1-b38f-9d70a1695819',
              finishedAt: '2023-03-20T14:27:05.315384Z',
              status: 'rolled_back',
              environment: 'test123',
            },
          },
        ]);
      });

      it('turns change.created and change.merged into one change, the merge with a placeholder creation time', () => {
        expect(eventsOf(translate('change_created'))).toEqual([
          {
            entity: subjectThenReferenced('mySubject123', 'TestRepo/TestOrg'),
            event: {
              type: 'change',
              id: 'mySubject123',
              createdAt: '2023-03-20T14:27:05.315384Z',
            },
            mergeWithStored: true,
          },
        ]);
        expect(eventsOf(translate('change_merged'))).toEqual([
          {
            entity: subjectThenReferenced('mySubject123', 'TestRepo/TestOrg'),
            event: {
              type: 'change',
              id: 'mySubject123',
              // A placeholder: the backend keeps the earliest createdAt.
              createdAt: '2023-03-20T14:27:05.315384Z',
              mergedAt: '2023-03-20T14:27:05.315384Z',
            },
            mergeWithStored: true,
          },
        ]);
      });

      it('turns pipelinerun.finished into a pipeline run with its outcome and link', () => {
        expect(eventsOf(translate('pipelinerun_finished'))).toEqual([
          {
            entity: subjectLocator('mySubject123'),
            event: {
              type: 'pipeline-run',
              id: '271069a8-fc18-44f1-b38f-9d70a1695819',
              finishedAt: '2023-03-20T14:27:05.315384Z',
              status: 'failure',
              url: 'https://www.example.com/mySubject123',
            },
          },
        ]);
      });

      it('turns incident.detected and incident.reported into the start of an incident', () => {
        expect(eventsOf(translate('incident_detected'))).toEqual([
          {
            entity: subjectThenReferenced('incident-123', 'myApp'),
            event: {
              type: 'incident',
              id: 'incident-123',
              startedAt: '2022-11-11T13:52:20.079Z',
            },
            mergeWithStored: true,
          },
        ]);
        expect(eventsOf(translate('incident_reported'))).toEqual([
          {
            entity: subjectThenReferenced('incident-123', 'myApp'),
            event: {
              type: 'incident',
              id: 'incident-123',
              startedAt: '2022-11-11T13:52:20.079Z',
              url: 'https://my-issues.example/incidents/ticket-345',
            },
            mergeWithStored: true,
          },
        ]);
      });

      it('turns incident.resolved into the resolution of the same incident, with a placeholder start', () => {
        expect(eventsOf(translate('incident_resolved'))).toEqual([
          {
            entity: subjectThenReferenced('incident-123', 'myApp'),
            event: {
              type: 'incident',
              id: 'incident-123',
              // A placeholder: the backend keeps the earliest startedAt.
              startedAt: '2022-11-11T13:52:20.079Z',
              resolvedAt: '2022-11-11T13:52:20.079Z',
            },
            mergeWithStored: true,
          },
        ]);
      });

      it.each([
        ['pipelinerun_started', 'CDEvent pipelinerun.started is not counted'],
        ['artifact_published', 'CDEvent artifact.published is not counted'],
      ])('ignores %s', (name, reason) => {
        expect(translate(name)).toEqual({ kind: 'ignored', reason });
      });
    },
  );
});

describe('translateCdevent', () => {
  const translate = (
    cdevent: ReturnType<typeof example>,
    toRequest = binaryRequest,
  ) => translateCdevent(payloadOf(toRequest(cdevent)), context);

  it('stores a production environment as production, whatever its spelling', () => {
    const deployed = example('spec-v0.5.1', 'service_deployed');
    deployed.subject.content!.environment.id = 'PROD';
    expect(eventsOf(translate(deployed))[0].event.environment).toBe(
      'production',
    );
  });

  it.each([
    ['success', 'success'],
    ['failure', 'failure'],
    ['error', 'failure'],
    ['cancel', 'cancelled'],
  ])('maps pipeline outcome %s to %s', (outcome, status) => {
    const run = example('spec-v0.3.0', 'pipelinerun_finished');
    run.subject.content!.outcome = outcome;
    expect(eventsOf(translate(run))[0].event.status).toBe(status);
  });

  it('ignores a finished pipeline run with an unknown outcome or none', () => {
    const run = example('spec-v0.5.1', 'pipelinerun_finished');
    run.subject.content!.outcome = 'constructor';
    expect(translate(run).kind).toBe('ignored');
    run.subject.content!.outcome = 'skipped';
    expect(translate(run)).toEqual({
      kind: 'ignored',
      reason:
        'CDEvent pipelinerun.finished with outcome "skipped" is not counted',
    });
    delete run.subject.content!.outcome;
    expect(translate(run)).toEqual({
      kind: 'ignored',
      reason: 'CDEvent pipelinerun.finished without an outcome is not counted',
    });
  });

  it('names the entity by the subject alone when an incident or change references no other service or repository', () => {
    const detected = example('spec-v0.5.1', 'incident_detected');
    delete detected.subject.content!.service;
    expect(eventsOf(translate(detected))[0].entity).toEqual(
      subjectLocator('incident-123'),
    );
    const merged = example('spec-v0.5.1', 'change_merged');
    delete merged.subject.content;
    expect(eventsOf(translate(merged))[0].entity).toEqual(
      subjectLocator('mySubject123'),
    );
    const reported = example('spec-v0.5.1', 'incident_reported');
    reported.subject.content!.service.id = 'incident-123';
    expect(eventsOf(translate(reported))[0].entity).toEqual(
      subjectLocator('incident-123'),
    );
  });

  it('reads any 0.x event version and ignores other major versions', () => {
    const deployed = example('spec-v0.5.1', 'service_deployed');
    deployed.context.type = 'dev.cdevents.service.deployed.0.7.0-draft';
    expect(translate(deployed).kind).toBe('events');
    deployed.context.type = 'dev.cdevents.service.deployed.1.0.0';
    expect(translate(deployed)).toEqual({
      kind: 'ignored',
      reason:
        'CDEvent dev.cdevents.service.deployed.1.0.0: only event versions 0.x are read',
    });
  });

  it('ignores CloudEvents that are not CDEvents, and custom CDEvents', () => {
    const other = example('spec-v0.5.1', 'service_deployed');
    other.context.type = 'com.github.pull_request.opened';
    expect(translate(other)).toEqual({
      kind: 'ignored',
      reason: 'com.github.pull_request.opened is not a CDEvent type',
    });
    other.context.type = 'dev.cdeventsx.mytool-resource.created.0.1.0';
    expect(translate(other).kind).toBe('ignored');
  });

  it('takes type, id and time from the CloudEvent when the CDEvent context lacks them', () => {
    const deployed = example('spec-v0.3.0', 'service_deployed');
    const request = binaryRequest(deployed);
    const body = JSON.parse(request.body);
    body.context = {};
    const [event] = eventsOf(
      translateCdevent(
        { topic: 'cdevents', headers: request.headers, body },
        context,
      ),
    );
    expect(event.event).toMatchObject({
      type: 'deployment',
      id: '271069a8-fc18-44f1-b38f-9d70a1695819',
      finishedAt: '2023-03-20T14:27:05.315384Z',
    });
  });

  it("prefers the CDEvent's own context.id to a CloudEvent id a relay rewrote", () => {
    const request = binaryRequest(example('spec-v0.3.0', 'service_deployed'));
    request.headers['ce-id'] = 'relay-generated-1';
    expect(
      eventsOf(translateCdevent(payloadOf(request), context))[0].event.id,
    ).toBe('271069a8-fc18-44f1-b38f-9d70a1695819');
  });

  it('reads structured CloudEvents sent as application/json, data as a string or base64', () => {
    const cdevent = example('spec-v0.3.0', 'service_rolledback');
    const structured = JSON.parse(structuredRequest(cdevent).body);
    const asJson = { 'content-type': 'application/json' };
    const expected = eventsOf(translate(cdevent));

    expect(
      eventsOf(
        translateCdevent(
          { topic: 'cdevents', headers: asJson, body: structured },
          context,
        ),
      ),
    ).toEqual(expected);
    const asString = { ...structured, data: JSON.stringify(cdevent) };
    expect(
      eventsOf(
        translateCdevent(
          { topic: 'cdevents', headers: asJson, body: asString },
          context,
        ),
      ),
    ).toEqual(expected);
    const { data: _data, ...withoutData } = structured;
    const asBase64 = {
      ...withoutData,
      data_base64: Buffer.from(JSON.stringify(cdevent)).toString('base64'),
    };
    expect(
      eventsOf(
        translateCdevent(
          { topic: 'cdevents', headers: asJson, body: asBase64 },
          context,
        ),
      ),
    ).toEqual(expected);
  });

  it('reads a bare CDEvent posted as application/json without ce-* headers', () => {
    const cdevent = example('spec-v0.5.1', 'incident_resolved');
    const translation = translateCdevent(
      {
        topic: 'cdevents',
        headers: { 'content-type': 'application/json' },
        body: cdevent,
      },
      context,
    );
    expect(eventsOf(translation)[0].event).toEqual({
      type: 'incident',
      id: 'incident-123',
      startedAt: '2022-11-11T13:52:20.079Z',
      resolvedAt: '2022-11-11T13:52:20.079Z',
    });
  });

  it('leaves out links that are not http(s) URLs', () => {
    const run = example('spec-v0.5.1', 'pipelinerun_finished');
    run.subject.content!.uri =
      '/apis/tekton.dev/v1/namespaces/ci/pipelineruns/run-1';
    expect(eventsOf(translate(run))[0].event).not.toHaveProperty('url');
  });

  describe('malformed payloads', () => {
    const broken = (name: string, mutate: (cdevent: any) => void) => {
      const cdevent = example('spec-v0.5.1', name);
      mutate(cdevent);
      return payloadOf(structuredRequest(cdevent));
    };
    const headers = { 'content-type': 'application/json' };

    it.each([
      [
        'a body that is not JSON',
        { topic: 'cdevents', headers, body: '{"context":' },
        /The body is not valid JSON/,
      ],
      [
        'a JSON array',
        { topic: 'cdevents', headers, body: [] },
        /carries no CDEvent/,
      ],
      [
        'null',
        { topic: 'cdevents', headers, body: null },
        /carries no CDEvent/,
      ],
      [
        'a structured CloudEvent without data',
        {
          topic: 'cdevents',
          headers: { 'content-type': 'application/cloudevents+json' },
          body: {
            specversion: '1.0',
            id: '1',
            type: 'dev.cdevents.service.deployed.0.1.1',
          },
        },
        /carries no CDEvent/,
      ],
      [
        'a structured CloudEvent that is not an object',
        {
          topic: 'cdevents',
          headers: { 'content-type': 'application/cloudevents+json' },
          body: 42,
        },
        /must be a JSON object/,
      ],
      [
        'no type anywhere',
        broken('service_deployed', e => delete e.context.type),
        'The CloudEvent has no type: neither context.type in the CDEvent nor the CloudEvent type',
      ],
      [
        'no subject',
        broken('service_deployed', e => delete e.subject),
        /CDEvent service\.deployed: subject must be an object/,
      ],
      [
        'no subject id',
        broken('change_merged', e => delete e.subject.id),
        /CDEvent change\.merged: subject\.id must be a non-empty string/,
      ],
      [
        'no context id',
        broken('pipelinerun_finished', e => delete e.context.id),
        /pipelinerun\.finished: context\.id must be/,
      ],
      [
        'no timestamp',
        broken('incident_detected', e => delete e.context.timestamp),
        /incident\.detected: context\.timestamp must be/,
      ],
      [
        'a deployment without environment',
        broken('service_deployed', e => delete e.subject.content.environment),
        'CDEvent service.deployed: subject.content.environment.id must be a non-empty string',
      ],
    ])('throws a clear error for %s', (_name, payload, message) => {
      expect(() => translateCdevent(payload, context)).toThrow(message);
    });
  });
});
