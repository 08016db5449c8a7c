/**
 * Typed, path-named access to one webhook body. Every read either returns a
 * value of the expected type or throws an Error that names the event and the
 * field, which the backend records as the source's last error.
 */
export class GithubPayload {
  private readonly body: Record<string, unknown>;

  constructor(readonly eventName: string, body: unknown) {
    if (!isObject(body)) {
      throw new Error(
        `Cannot read GitHub ${eventName} payload: the body is not a JSON object (set the webhook's content type to application/json)`,
      );
    }
    this.body = body;
  }

  /** A non-empty string, e.g. `repository.full_name`. */
  string(path: string): string {
    const value = this.read(path);
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.error(path, 'a non-empty string', value);
    }
    return value;
  }

  /** A string, or undefined when the field is absent or null. */
  optionalString(path: string): string | undefined {
    const value = this.read(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw this.error(path, 'a string or null', value);
    }
    return value;
  }

  /** A timestamp GitHub sends as an ISO 8601 string, returned as sent. */
  timestamp(path: string): string {
    const value = this.read(path);
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      throw this.error(path, 'an ISO 8601 timestamp', value);
    }
    return value;
  }

  /** A timestamp, or undefined when the field is absent or null. */
  optionalTimestamp(path: string): string | undefined {
    const value = this.read(path);
    return value === undefined || value === null
      ? undefined
      : this.timestamp(path);
  }

  /** A whole number, such as a deployment id or a run attempt. */
  integer(path: string): number {
    const value = this.read(path);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw this.error(path, 'a whole number', value);
    }
    return value;
  }

  /** true or false. */
  boolean(path: string): boolean {
    const value = this.read(path);
    if (typeof value !== 'boolean') {
      throw this.error(path, 'true or false', value);
    }
    return value;
  }

  /** The raw value at a dotted path; undefined when any step is missing. */
  private read(path: string): unknown {
    let current: unknown = this.body;
    for (const key of path.split('.')) {
      // Own properties only, so `constructor` or `__proto__` never resolve.
      if (
        !isObject(current) ||
        !Object.prototype.hasOwnProperty.call(current, key)
      ) {
        return undefined;
      }
      current = current[key];
    }
    return current;
  }

  private error(path: string, expected: string, value: unknown): Error {
    const got =
      value === undefined ? 'it is missing' : `got ${describe(value)}`;
    return new Error(
      `Cannot read GitHub ${this.eventName} payload: ${path} must be ${expected}; ${got}`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return String(value);
}
