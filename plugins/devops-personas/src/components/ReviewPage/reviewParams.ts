import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useSearchParams } from 'react-router-dom';
import { plural } from '../shared/plural';

const DAY_MS = 86_400_000;

/**
 * An entity ref as the review page keeps it: full (`kind:namespace/name`)
 * and lower case, so that `System:Payments` and `system:default/payments`
 * are one agenda. `undefined` for text that is no entity ref.
 */
export function normaliseEntityRef(raw: string): string | undefined {
  try {
    return stringifyEntityRef(parseEntityRef(raw.trim())).toLocaleLowerCase(
      'en-US',
    );
  } catch {
    return undefined;
  }
}

/**
 * The entity and the end of the week under review, kept in the URL
 * (`?entity=system:default/payments&until=2026-11-30T00:00:00Z`) so that a
 * notification's link or a bookmark opens the same agenda.
 */
export function useReviewParams() {
  const [params, setParams] = useSearchParams();
  const raw = params.get('entity')?.trim() ?? '';
  const entityRef = raw ? normaliseEntityRef(raw) : undefined;
  const until = params.get('until') || undefined;
  /** Sets (or, with `undefined`, removes) parameters, keeping the others. */
  const update = (changes: Record<string, string | undefined>) =>
    setParams(previous => {
      const next = new URLSearchParams(previous);
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, value);
      }
      return next;
    });
  return {
    /** The entity asked for, normalised; `undefined` when none or invalid. */
    entityRef,
    /** The `entity` parameter as given, when it is no entity ref. */
    invalidEntity: raw && !entityRef ? raw : undefined,
    until,
    update,
  };
}

/** `30d` → "30-day", `P4W` → "4-week"; other durations as given. */
export function kpiWindowInWords(window: string): string {
  const days = /^(\d+)d$/i.exec(window) ?? /^P(\d+)D$/i.exec(window);
  if (days) return `${Number(days[1])}-day`;
  const weeks = /^(\d+)w$/i.exec(window) ?? /^P(\d+)W$/i.exec(window);
  if (weeks) return `${Number(weeks[1])}-week`;
  return window;
}

/** "3 entities reviewed". */
export function entitiesInWords(count: number): string {
  return `${plural(count, 'entity', 'entities')} reviewed`;
}

/**
 * The `until` of the week after the one on screen; `undefined` (the current
 * week) when that week has not ended yet.
 */
export function nextWeekUntil(
  weekEnd: string,
  now: number = Date.now(),
): string | undefined {
  const next = Date.parse(weekEnd) + 7 * DAY_MS;
  if (Number.isNaN(next) || next > now) return undefined;
  return new Date(next).toISOString();
}
