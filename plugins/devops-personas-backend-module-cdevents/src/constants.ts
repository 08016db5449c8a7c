/** The source's id and events topic (SPEC §8). */
export const CDEVENTS_SOURCE_ID = 'cdevents';
export const CDEVENTS_TOPIC = 'cdevents';
/** The annotation whose value names the entity a CDEvent belongs to. */
export const CDEVENTS_SUBJECT_ANNOTATION =
  'devops-personas.io/cdevents-subject';
/** The media type of a CloudEvent in structured mode (JSON format). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
