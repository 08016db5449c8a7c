import { parseGitlabTimestamp } from './timestamps';

// SPEC §6: an event's `url` is at most 2,048 characters.
const MAX_URL_LENGTH = 2048;

/** A JSON object of a webhook body. */
export type JsonRecord = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields of one part of a GitLab hook body (`object_attributes`,
 * `project`, the body itself), with error messages that name the field by
 * its path in the body.
 */
export class PayloadFields {
  /**
   * @param record - the object to read
   * @param path - its path in the body (`object_attributes`), empty for the
   *   body itself
   */
  constructor(
    private readonly record: JsonRecord,
    private readonly path: string = '',
  ) {}

  /** The part of the body under `key`, which must be an object. */
  static of(parent: JsonRecord, key: string, path = key): PayloadFields {
    const value = parent[key];
    if (!isRecord(value)) {
      throw new Error(`${path} must be an object; got ${typeName(value)}`);
    }
    return new PayloadFields(value, path);
  }

  /** A string that must be present and not empty. */
  string(key: string): string {
    const value = this.record[key];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(
        `${this.name(key)} must be a non-empty string; got ${typeName(value)}`,
      );
    }
    return value;
  }

  /** A string, or undefined when absent, null or empty. */
  optionalString(key: string): string | undefined {
    const value = this.record[key];
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    if (typeof value !== 'string') {
      throw new Error(
        `${this.name(key)} must be a string; got ${typeName(value)}`,
      );
    }
    return value;
  }

  /** A GitLab id: a whole number (or a string of digits), as a string. */
  id(key: string): string {
    const value = this.record[key];
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      return String(value);
    }
    if (typeof value === 'string' && /^\d+$/.test(value)) {
      return value;
    }
    throw new Error(
      `${this.name(key)} must be a whole number; got ${typeName(value)}`,
    );
  }

  /** A non-negative finite number, or undefined when absent or null. */
  optionalDuration(key: string): number | undefined {
    const value = this.record[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(
        `${this.name(key)} must be a number of seconds; got ${typeName(value)}`,
      );
    }
    return value;
  }

  /** A timestamp that must be present, as ISO 8601 with an offset. */
  timestamp(key: string): string {
    return parseGitlabTimestamp(this.record[key], this.name(key));
  }

  /** A timestamp, or undefined when absent or null. */
  optionalTimestamp(key: string): string | undefined {
    const value = this.record[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    return parseGitlabTimestamp(value, this.name(key));
  }

  /**
   * A link for the event's `url`: the value when it is an http(s) URL short
   * enough to store, else undefined. A link is a convenience, never a
   * reason to drop the event.
   */
  link(key: string): string | undefined {
    const value = this.record[key];
    if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) {
      return undefined;
    }
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private name(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value === '' ? 'an empty string' : 'a string';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
