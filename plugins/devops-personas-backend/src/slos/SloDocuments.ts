import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { PersonaWarning } from '@internal/plugin-devops-personas-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYamlDocuments, YamlReadError } from './readYamlDocuments';
import { SloTimeWindow, timeWindowProblem } from './sloWindow';

const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';

/** One objective of an SLO. */
export interface SloObjective {
  displayName: string;
  target: number;
  /** Timeslices: a slice is good when good / total ≥ this. */
  timeSliceTarget?: number;
}

/** An OpenSLO v1 SLO, reduced to what the computations need. */
export interface SloDefinition {
  name: string;
  displayName?: string;
  description?: string;
  budgetingMethod: 'Occurrences' | 'Timeslices';
  timeWindow: SloTimeWindow;
  objectives: SloObjective[];
  indicator?: string;
  /** Where it was read from. */
  source: string;
}

export interface SloDocuments {
  slos: SloDefinition[];
  warnings: PersonaWarning[];
}

function warn(source: string, message: string): PersonaWarning {
  return { code: 'invalid-slo' as PersonaWarning['code'], message: `${source}: ${message}` };
}

/** Largest slo-ref document read, in bytes. */
export const MAX_SLO_DOCUMENT_BYTES = 1024 * 1024;
/** SLOs read from one slo-ref location; more are left out with a warning. */
export const MAX_SLOS_PER_LOCATION = 100;
/** Objectives read per SLO; more are left out with a warning. */
export const MAX_OBJECTIVES_PER_SLO = 20;
/** How long reading an slo-ref URL may take. */
export const READ_TIMEOUT_MS = 10_000;

/** Why an slo-ref cannot be read; the message names the annotation value, never a server path. */
export class SloRefError extends Error {}

async function readThroughUrlReader(url: string, urlReader: UrlReaderService): Promise<string> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Not every reader honours the signal: race it too.
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SloRefError(`reading ${url} took longer than ${READ_TIMEOUT_MS / 1000} s`));
    }, READ_TIMEOUT_MS);
  });
  let buffer: Buffer;
  try {
    buffer = await Promise.race([
      urlReader.readUrl(url, { signal: controller.signal }).then(response => response.buffer()),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
  // parseSloDocuments refuses text over MAX_SLO_DOCUMENT_BYTES.
  return buffer.toString('utf8');
}

/** Whether `resolved` lies outside `dir` (a URL ending in `/`). */
function escapesUrlDirectory(resolved: URL, dir: URL): boolean {
  return resolved.origin !== dir.origin || !resolved.pathname.startsWith(dir.pathname);
}

function fileError(sloRef: string, error: unknown): SloRefError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new SloRefError(`no file "${sloRef}" next to the entity's catalog file`);
  }
  if (code === 'EISDIR') return new SloRefError(`"${sloRef}" is a directory; name a YAML file`);
  return new SloRefError(`"${sloRef}" could not be read (${code ?? 'unknown error'})`);
}

/**
 * Finds the text of the documents an entity's slo-ref names. A relative ref
 * is resolved against the entity's own file, through the URL reader for
 * `url:` locations and from disk for `file:` ones, and must stay inside that
 * file's directory (symlinks included); an absolute http(s) URL is read
 * through the URL reader, which only reaches configured integrations.
 * `source` is where the documents came from: the URL, or the ref itself for
 * files (a server path is never shown).
 */
export async function readSloRef(
  entity: Entity,
  sloRef: string,
  urlReader: UrlReaderService,
): Promise<{ source: string; text: string }> {
  const location = entity.metadata.annotations?.[LOCATION_ANNOTATION] ?? '';
  const colon = location.indexOf(':');
  const type = location.slice(0, colon);
  const target = location.slice(colon + 1);
  const outside = new SloRefError(
    `points outside the directory of the entity's catalog file; only files under it may be read`,
  );

  if (/^https?:\/\//i.test(sloRef)) {
    return { source: sloRef, text: await readThroughUrlReader(sloRef, urlReader) };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(sloRef) && !/^file:/i.test(sloRef)) {
    throw new SloRefError('must be a path relative to the entity\'s catalog file or an http(s) URL');
  }
  const relativeRef = sloRef.replace(/^file:/i, '');
  // Encoded separators could be decoded into a path by the server behind the URL.
  if (/%2f|%5c|%00/i.test(relativeRef)) throw outside;

  if (type === 'url') {
    let base: URL;
    try {
      base = new URL(target);
    } catch {
      throw new SloRefError('cannot be resolved: the entity\'s location is not a valid URL');
    }
    const dir = new URL('.', base);
    const resolved = new URL(relativeRef, base);
    if (escapesUrlDirectory(resolved, dir)) throw outside;
    const url = resolved.toString();
    return { source: url, text: await readThroughUrlReader(url, urlReader) };
  }
  if (type === 'file') {
    const base = path.dirname(target.startsWith('file://') ? fileURLToPath(target) : target);
    const leaves = (from: string, to: string) => {
      const relative = path.relative(from, to);
      return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    };
    const resolved = path.resolve(base, relativeRef);
    if (leaves(base, resolved)) throw outside;
    let real: string;
    let realBase: string;
    try {
      // Follow symlinks too: a link inside the directory must not lead out of it.
      real = await fs.realpath(resolved);
      realBase = await fs.realpath(base);
    } catch (e) {
      throw fileError(sloRef, e);
    }
    if (leaves(realBase, real)) throw outside;
    try {
      const { size } = await fs.stat(real);
      if (size > MAX_SLO_DOCUMENT_BYTES) {
        throw new SloRefError(`"${sloRef}" is larger than ${MAX_SLO_DOCUMENT_BYTES / 1024} KiB`);
      }
      return { source: sloRef, text: await fs.readFile(real, 'utf8') };
    } catch (e) {
      throw e instanceof SloRefError ? e : fileError(sloRef, e);
    }
  }
  throw new SloRefError(
    `cannot be resolved: the entity has no url: or file: location (${LOCATION_ANNOTATION}); use an absolute URL`,
  );
}

/** YAML documents read from one slo-ref location; more are left out with a warning. */
export const MAX_DOCUMENTS_PER_LOCATION = 500;
/** Warnings kept per location; the rest are counted in one more. */
export const MAX_WARNINGS_PER_LOCATION = 50;
// With the worker's start-up, an answer within the second SPEC allows.
const PARSE_TIMEOUT_MS = 750;

/**
 * Parses OpenSLO v1 documents; every problem becomes a warning naming the
 * document (by `label`, the slo-ref value) and the field. `source` is what
 * each SLO says it was read from (default: the label). However odd the text,
 * the answer comes within a second and the event loop is never held.
 */
export async function parseSloDocuments(label: string, text: string, source = label): Promise<SloDocuments> {
  const warnings: PersonaWarning[] = [];
  const slos: SloDefinition[] = [];
  const indicators = new Map<string, unknown>();
  if (Buffer.byteLength(text) > MAX_SLO_DOCUMENT_BYTES) {
    return { slos, warnings: [warn(label, `is larger than ${MAX_SLO_DOCUMENT_BYTES / 1024} KiB`)] };
  }
  let stream;
  try {
    stream = await readYamlDocuments(text, {
      timeoutMs: PARSE_TIMEOUT_MS,
      maxDocuments: MAX_DOCUMENTS_PER_LOCATION,
    });
  } catch (e) {
    const reason = e instanceof YamlReadError ? e.message : `cannot be read: ${(e as Error).message}`;
    return { slos, warnings: [warn(label, `${reason}; keep OpenSLO files small and plain`)] };
  }
  if (stream.total > MAX_DOCUMENTS_PER_LOCATION) {
    warnings.push(
      warn(label, `holds ${stream.total} documents; only the first ${MAX_DOCUMENTS_PER_LOCATION} are read`),
    );
  }
  const parsed: Array<{ label: string; doc: any }> = [];
  stream.documents.forEach((document, index) => {
    const docLabel = `${label} document ${index + 1}`;
    if ('error' in document) {
      warnings.push(warn(docLabel, document.error));
      return;
    }
    const doc = document.value as any;
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      warnings.push(warn(docLabel, 'is not an OpenSLO object'));
      return;
    }
    const name = doc.metadata?.name;
    const named = typeof name === 'string' && name ? `${docLabel} (${name})` : docLabel;
    if (doc.apiVersion !== 'openslo/v1') {
      warnings.push(warn(named, `apiVersion "${doc.apiVersion ?? ''}" is not supported; use openslo/v1`));
      return;
    }
    if (doc.kind === 'SLI') {
      if (!name) warnings.push(warn(docLabel, 'metadata.name is missing'));
      else indicators.set(name, doc);
      return;
    }
    if (doc.kind !== 'SLO') {
      warnings.push(warn(named, `kind "${doc.kind ?? ''}" is not supported; use SLO or SLI`));
      return;
    }
    parsed.push({ label: named, doc });
  });

  const names = new Set<string>();
  for (const { label: sloLabel, doc } of parsed) {
    const problem = (field: string, reason: string) => warnings.push(warn(sloLabel, `${field} ${reason}`));
    const spec = typeof doc.spec === 'object' && doc.spec !== null ? doc.spec : {};
    const name = doc.metadata?.name;
    if (!name || typeof name !== 'string') {
      problem('metadata.name', 'is missing');
      continue;
    }
    if (names.has(name)) {
      problem('metadata.name', `"${name}" is used by an earlier SLO of ${label}; SLO names must be unique`);
      continue;
    }
    if (slos.length >= MAX_SLOS_PER_LOCATION) {
      warnings.push(warn(sloLabel, `is left out: at most ${MAX_SLOS_PER_LOCATION} SLOs are read from one slo-ref`));
      continue;
    }
    const method = spec.budgetingMethod;
    if (method !== 'Occurrences' && method !== 'Timeslices') {
      problem(
        'spec.budgetingMethod',
        method ? `"${method}" is not supported; use Occurrences or Timeslices` : 'is missing',
      );
      continue;
    }
    const window = Array.isArray(spec.timeWindow) ? spec.timeWindow[0] : spec.timeWindow;
    if (!window || typeof window !== 'object') {
      problem('spec.timeWindow', 'is missing');
      continue;
    }
    if (window.isRolling !== undefined && typeof window.isRolling !== 'boolean') {
      problem('spec.timeWindow[0].isRolling', 'must be true or false');
      continue;
    }
    const isRolling = window.isRolling !== false;
    if (!isRolling && (typeof window.calendar !== 'object' || window.calendar === null)) {
      problem('spec.timeWindow[0].calendar', 'is required when isRolling is false');
      continue;
    }
    const timeWindow = {
      duration: window.duration,
      isRolling,
      ...(isRolling ? {} : { calendar: window.calendar }),
    };
    const windowProblem = timeWindowProblem(timeWindow);
    if (windowProblem) {
      problem(`spec.timeWindow[0].${windowProblem.field}`, windowProblem.reason);
      continue;
    }
    if (spec.indicatorRef && !indicators.has(spec.indicatorRef)) {
      problem('spec.indicatorRef', `"${spec.indicatorRef}" names no SLI in ${label}`);
      continue;
    }
    if (!spec.indicatorRef && !spec.indicator) {
      problem('spec.indicator', 'is missing (give an inline indicator or an indicatorRef)');
      continue;
    }
    if (!Array.isArray(spec.objectives) || !spec.objectives.length) {
      problem('spec.objectives', 'is missing');
      continue;
    }
    if (spec.objectives.length > MAX_OBJECTIVES_PER_SLO) {
      problem('spec.objectives', `has ${spec.objectives.length} entries; only the first ${MAX_OBJECTIVES_PER_SLO} are read`);
    }
    const objectives: SloObjective[] = [];
    spec.objectives.slice(0, MAX_OBJECTIVES_PER_SLO).forEach((o: any, i: number) => {
      const field = `spec.objectives[${i}]`;
      if (typeof o?.target !== 'number' || !(o.target > 0 && o.target < 1)) {
        problem(`${field}.target`, 'must be a number between 0 and 1 (exclusive), e.g. 0.995');
        return;
      }
      if (method === 'Timeslices' && (typeof o.timeSliceTarget !== 'number' || !(o.timeSliceTarget > 0 && o.timeSliceTarget <= 1))) {
        problem(`${field}.timeSliceTarget`, 'is required for Timeslices: a number between 0 and 1');
        return;
      }
      objectives.push({
        displayName: typeof o.displayName === 'string' ? o.displayName : `${Math.round(o.target * 10000) / 100} %`,
        target: o.target,
        ...(method === 'Timeslices' ? { timeSliceTarget: o.timeSliceTarget } : {}),
      });
    });
    if (!objectives.length) continue;
    names.add(name);
    slos.push({
      name,
      displayName: typeof doc.metadata?.displayName === 'string' ? doc.metadata.displayName : undefined,
      description: typeof spec.description === 'string' ? spec.description : undefined,
      budgetingMethod: method,
      timeWindow,
      objectives,
      indicator: spec.indicatorRef ?? spec.indicator?.metadata?.name,
      source,
    });
  }
  if (warnings.length > MAX_WARNINGS_PER_LOCATION) {
    const more = warnings.length - MAX_WARNINGS_PER_LOCATION;
    warnings.splice(MAX_WARNINGS_PER_LOCATION, more, warn(label, `has ${more} more problems`));
  }
  return { slos, warnings };
}
