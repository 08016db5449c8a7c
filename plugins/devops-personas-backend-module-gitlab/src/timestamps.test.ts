import { parseGitlabTimestamp } from './timestamps';

describe('parseGitlabTimestamp', () => {
  it.each([
    // Deployment hooks
    ['2021-04-28 21:50:00 +0200', '2021-04-28T21:50:00+02:00'],
    ['2021-04-28 13:50:00 -0530', '2021-04-28T13:50:00-05:30'],
    // Pipeline hooks, older issue and merge request hooks
    ['2016-08-12 15:23:28 UTC', '2016-08-12T15:23:28Z'],
    // ISO 8601, as newer issue and merge request hooks and job hooks send it
    ['2013-12-03T17:15:43Z', '2013-12-03T17:15:43Z'],
    ['2021-02-23T02:41:37.886Z', '2021-02-23T02:41:37.886Z'],
    ['2012-01-03T23:36:29+02:00', '2012-01-03T23:36:29+02:00'],
    ['2024-02-29 00:00:00 +14:00', '2024-02-29T00:00:00+14:00'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseGitlabTimestamp(input, 'status_changed_at')).toBe(expected);
  });

  it('keeps the instant GitLab meant', () => {
    expect(
      Date.parse(parseGitlabTimestamp('2021-04-28 21:50:00 +0200', 'x')),
    ).toBe(Date.parse('2021-04-28T19:50:00Z'));
  });

  it.each([
    ['a time without a zone', '2021-04-28 21:50:00'],
    ['a date alone', '2021-04-28'],
    ['a named zone other than UTC', '2021-04-28 21:50:00 CEST'],
    ['a day that does not exist', '2021-02-29 10:00:00 UTC'],
    ['a month that does not exist', '2021-13-01T10:00:00Z'],
    ['an hour that does not exist', '2021-04-28T24:00:00Z'],
    ['an offset beyond 14 hours', '2021-04-28 21:50:00 +1500'],
    ['offset minutes above 59', '2021-04-28 21:50:00 +0260'],
    ['epoch seconds', '1619639400'],
    ['an empty string', ''],
  ])('refuses %s', (_, input) => {
    expect(() => parseGitlabTimestamp(input, 'finished_at')).toThrow(
      /^finished_at /,
    );
  });

  it.each([null, undefined, 1619639400, {}])('refuses %p', input => {
    expect(() =>
      parseGitlabTimestamp(input, 'object_attributes.created_at'),
    ).toThrow('object_attributes.created_at must be a GitLab timestamp');
  });
});
