import { BUILT_IN_PERSONA_CANVAS } from './defaults';
import { BUILT_IN_PERSONA_IDS } from './ids';
import {
  BUILT_IN_KPI_DIRECTIONS,
  BUILT_IN_KPI_IDS,
  BUILT_IN_KPI_RESPONSES,
  BUILT_IN_KPI_TITLES,
  BUILT_IN_KPI_UNITS,
  BUILT_IN_KPIS,
  DEFAULT_KPI_OWNER_PERSONAS,
  DORA_KPI_GROUP,
  DORA_KPI_IDS,
  KPI_GROUPS,
  MEASUREMENT_KPI_GROUP,
} from './kpiDefinitions';
import { parseKpiTarget } from './kpis';

const groupIds: string[] = KPI_GROUPS.map(g => g.id);

describe('KPI_GROUPS', () => {
  it('has unique ids and a title for each, DORA first and measurements last', () => {
    expect(new Set(groupIds).size).toBe(groupIds.length);
    for (const group of KPI_GROUPS) {
      expect(group.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(group.title.trim()).not.toBe('');
    }
    expect(groupIds[0]).toBe(DORA_KPI_GROUP);
    expect(groupIds[groupIds.length - 1]).toBe(MEASUREMENT_KPI_GROUP);
  });

  it('has no empty section: every group but measurements holds a built-in KPI', () => {
    const used = new Set<string>(BUILT_IN_KPIS.map(kpi => kpi.group));
    expect(groupIds.filter(id => !used.has(id))).toEqual([
      MEASUREMENT_KPI_GROUP,
    ]);
  });
});

describe('BUILT_IN_KPIS', () => {
  it('has unique, well-formed ids and titles', () => {
    const ids = BUILT_IN_KPIS.map(kpi => kpi.id);
    const titles = BUILT_IN_KPIS.map(kpi => kpi.title.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(titles).size).toBe(titles.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it.each(BUILT_IN_KPIS.map(kpi => [kpi.id, kpi] as const))(
    '%s is complete and consistent',
    (_id, kpi) => {
      expect(kpi.title).toMatch(/^[A-Z]\S*( \S+)*$/);
      expect(['seconds', 'fraction', 'per-week', 'count']).toContain(kpi.unit);
      // a target without a suffix is read in the KPI's own unit
      expect(parseKpiTarget('< 1', kpi.unit)).toEqual({
        target: { op: '<', value: 1 },
      });
      expect(['higher', 'lower']).toContain(kpi.direction);
      expect(BUILT_IN_PERSONA_IDS).toContain(kpi.ownerPersona);
      expect(groupIds).toContain(kpi.group);
      expect(kpi.group).not.toBe(MEASUREMENT_KPI_GROUP);
      expect(kpi.dora).toBe(kpi.group === DORA_KPI_GROUP);
      // a response is a sentence someone can act on
      expect(kpi.response).toMatch(/^[A-Z].{20,}\.$/);
    },
  );

  it('measures rates as fractions and times in seconds', () => {
    const misfits = BUILT_IN_KPIS.filter(
      kpi =>
        (kpi.id.endsWith('-rate') && kpi.unit !== 'fraction') ||
        (kpi.id.endsWith('-time') && kpi.unit !== 'seconds'),
    );
    expect(misfits.map(kpi => `${kpi.id}: ${kpi.unit}`)).toEqual([]);
  });

  it("has the DORA KPIs of SPEC §4 in their order, with DORA's current recovery metric beside time to restore", () => {
    expect(BUILT_IN_KPIS.filter(kpi => kpi.dora).map(kpi => kpi.id)).toEqual([
      'deployment-frequency',
      'lead-time-for-changes',
      'change-failure-rate',
      'time-to-restore',
      'failed-deployment-recovery-time',
    ]);
  });

  it('knows every KPI a built-in persona canvas names', () => {
    for (const canvas of Object.values(BUILT_IN_PERSONA_CANVAS)) {
      for (const id of canvas.kpis) {
        expect(BUILT_IN_KPI_IDS).toContain(id);
      }
    }
  });

  it('is the only source of the older per-KPI tables', () => {
    expect(BUILT_IN_KPI_IDS).toEqual(BUILT_IN_KPIS.map(kpi => kpi.id));
    expect(DORA_KPI_IDS).toEqual(
      BUILT_IN_KPIS.filter(kpi => kpi.dora).map(kpi => kpi.id),
    );
    for (const kpi of BUILT_IN_KPIS) {
      expect(DEFAULT_KPI_OWNER_PERSONAS[kpi.id]).toBe(kpi.ownerPersona);
      expect(BUILT_IN_KPI_UNITS[kpi.id]).toBe(kpi.unit);
      expect(BUILT_IN_KPI_TITLES[kpi.id]).toBe(kpi.title);
      expect(BUILT_IN_KPI_DIRECTIONS[kpi.id]).toBe(kpi.direction);
      expect(BUILT_IN_KPI_RESPONSES[kpi.id]).toBe(kpi.response);
    }
    for (const table of [
      DEFAULT_KPI_OWNER_PERSONAS,
      BUILT_IN_KPI_UNITS,
      BUILT_IN_KPI_TITLES,
      BUILT_IN_KPI_DIRECTIONS,
      BUILT_IN_KPI_RESPONSES,
    ]) {
      expect(Object.keys(table)).toEqual(BUILT_IN_KPI_IDS);
    }
  });
});
