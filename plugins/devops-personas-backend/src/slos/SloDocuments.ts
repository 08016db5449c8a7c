import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { PersonaWarning } from '@devops-personas/plugin-devops-personas-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SloDefinition } from './sloDefinition';

const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';

/** What one slo-ref location holds: its SLOs, and every problem found reading them. */
export interface SloDocuments {
  slos: SloDefinition[];
  warnings: PersonaWarning[];
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

