import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { PersonaWarning } from '@internal/plugin-devops-personas-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

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
  timeWindow: {
    duration: string;
    isRolling: boolean;
    calendar?: { startTime?: string; timeZone?: string };
  };
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

/**
 * Finds the text of the documents an entity's slo-ref names: `url:`
 * locations through the URL reader, `file:` locations from disk, never a
 * file outside the directory of the entity's own location.
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

  if (/^https?:\/\//i.test(sloRef)) {
    const response = await urlReader.readUrl(sloRef);
    return { source: sloRef, text: (await response.buffer()).toString('utf8') };
  }
  if (type === 'url') {
    const url = new URL(sloRef, target).toString();
    const response = await urlReader.readUrl(url);
    return { source: url, text: (await response.buffer()).toString('utf8') };
  }
  if (type === 'file') {
    const base = path.dirname(target.startsWith('file://') ? fileURLToPath(target) : target);
    const resolved = path.resolve(base, sloRef.replace(/^file:/, ''));
    const relative = path.relative(base, resolved);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(
        `slo-ref "${sloRef}" points outside the directory of the entity's location (${base}); only files under it may be read`,
      );
    }
    // Follow symlinks too: a link inside the directory must not lead out of it.
    const real = await fs.realpath(resolved);
    const realBase = await fs.realpath(base);
    if (path.relative(realBase, real).startsWith('..')) {
      throw new Error(`slo-ref "${sloRef}" resolves outside the directory of the entity's location`);
    }
    return { source: path.relative(process.cwd(), resolved) || resolved, text: await fs.readFile(real, 'utf8') };
  }
  throw new Error(
    `cannot resolve slo-ref "${sloRef}": the entity has no url: or file: location (${LOCATION_ANNOTATION}); use an absolute URL`,
  );
}

const DURATION = /^(\d+)(m|h|d|w|M|Q|y)$/;

/** Parses OpenSLO v1 documents; every problem becomes a warning naming the document and field. */
export function parseSloDocuments(source: string, text: string): SloDocuments {
  const warnings: PersonaWarning[] = [];
  const slos: SloDefinition[] = [];
  const indicators = new Map<string, unknown>();
  let docs;
  try {
    docs = parseAllDocuments(text);
  } catch (e) {
    return { slos, warnings: [warn(source, `is not valid YAML: ${(e as Error).message}`)] };
  }
  const parsed: Array<{ label: string; doc: any }> = [];
  (Array.isArray(docs) ? docs : [docs]).forEach((document, index) => {
    const label = `${source} document ${index + 1}`;
    if (document.errors?.length) {
      warnings.push(warn(label, `is not valid YAML: ${document.errors[0].message.split('\n')[0]}`));
      return;
    }
    const doc = document.toJS();
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      warnings.push(warn(label, 'is not an OpenSLO object'));
      return;
    }
    const name = doc.metadata?.name;
    const named = name ? `${label} (${name})` : label;
    if (doc.apiVersion !== 'openslo/v1') {
      warnings.push(warn(named, `apiVersion "${doc.apiVersion ?? ''}" is not supported; use openslo/v1`));
      return;
    }
    if (doc.kind === 'SLI') {
      if (!name) warnings.push(warn(label, 'metadata.name is missing'));
      else indicators.set(name, doc);
      return;
    }
    if (doc.kind !== 'SLO') {
      warnings.push(warn(named, `kind "${doc.kind ?? ''}" is not supported; use SLO or SLI`));
      return;
    }
    parsed.push({ label: named, doc });
  });

  for (const { label, doc } of parsed) {
    const problem = (field: string, reason: string) => warnings.push(warn(label, `${field} ${reason}`));
    const spec = doc.spec ?? {};
    const name = doc.metadata?.name;
    if (!name || typeof name !== 'string') {
      problem('metadata.name', 'is missing');
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
    if (!window || typeof window.duration !== 'string' || !DURATION.test(window.duration)) {
      problem('spec.timeWindow[0].duration', window?.duration ? `"${window.duration}" is not a duration like 30d or 1M` : 'is missing');
      continue;
    }
    const isRolling = window.isRolling !== false;
    if (!isRolling && !window.calendar) {
      problem('spec.timeWindow[0].calendar', 'is required when isRolling is false');
      continue;
    }
    if (spec.indicatorRef && !indicators.has(spec.indicatorRef)) {
      problem('spec.indicatorRef', `"${spec.indicatorRef}" names no SLI in ${source}`);
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
    const objectives: SloObjective[] = [];
    spec.objectives.forEach((o: any, i: number) => {
      const field = `spec.objectives[${i}]`;
      if (typeof o?.target !== 'number' || o.target <= 0 || o.target >= 1) {
        problem(`${field}.target`, 'must be a number between 0 and 1 (exclusive), e.g. 0.995');
        return;
      }
      if (method === 'Timeslices' && (typeof o.timeSliceTarget !== 'number' || o.timeSliceTarget <= 0 || o.timeSliceTarget > 1)) {
        problem(`${field}.timeSliceTarget`, 'is required for Timeslices: a number between 0 and 1');
        return;
      }
      objectives.push({
        displayName: o.displayName ?? `${Math.round(o.target * 10000) / 100} %`,
        target: o.target,
        ...(method === 'Timeslices' ? { timeSliceTarget: o.timeSliceTarget } : {}),
      });
    });
    if (!objectives.length) continue;
    slos.push({
      name,
      displayName: doc.metadata?.displayName,
      description: spec.description,
      budgetingMethod: method,
      timeWindow: { duration: window.duration, isRolling, calendar: window.calendar },
      objectives,
      indicator: spec.indicatorRef ?? spec.indicator?.metadata?.name,
      source,
    });
  }
  return { slos, warnings };
}
