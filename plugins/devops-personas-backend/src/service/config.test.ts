import { ConfigReader } from '@backstage/config';
import { BUILT_IN_KPIS } from '@devops-personas/plugin-devops-personas-common';
import { readPersonasConfig } from './config';

const kpisOf = (devopsPersonas: object = {}) =>
  readPersonasConfig(new ConfigReader({ devopsPersonas })).kpis;

describe('readPersonasConfig: KPI definitions', () => {
  it('takes every built-in KPI from its definition in common', () => {
    const kpis = kpisOf();
    expect(kpis).toEqual(
      BUILT_IN_KPIS.map(d => ({
        id: d.id,
        title: d.title,
        unit: d.unit,
        direction: d.direction,
        kind: 'built-in',
        group: d.group,
        dora: d.dora,
        ownerPersona: d.ownerPersona,
        response: d.response,
      })),
    );
    expect(kpis.find(k => k.id === 'time-to-restore')).toMatchObject({
      group: 'dora',
      dora: true,
    });
    expect(kpis.find(k => k.id === 'alert-noise')).toMatchObject({
      group: 'stability',
      dora: false,
    });
  });

  it('puts measurement KPIs in the measurements group unless config names another', () => {
    const kpis = kpisOf({
      kpis: { 'alert-noise': { group: 'risk' }, 'rollback-rate': { owner: 'tech-lead' } },
      measurementKpis: [
        { id: 'test-coverage', unit: 'percent' },
        { id: 'secret-rotation', unit: 'percent', group: 'risk' },
      ],
    });
    const byId = new Map(kpis.map(k => [k.id, k]));
    expect(byId.get('test-coverage')).toMatchObject({ kind: 'measurement', group: 'measurements', dora: false });
    expect(byId.get('secret-rotation')).toMatchObject({ kind: 'measurement', group: 'risk', dora: false });
    expect(byId.get('alert-noise')).toMatchObject({ group: 'risk' });
    // an override without a group keeps the built-in one
    expect(byId.get('rollback-rate')).toMatchObject({ group: 'stability', ownerPersona: 'tech-lead' });
    // naming a DORA KPI's own group is allowed
    expect(kpisOf({ kpis: { 'time-to-restore': { group: 'dora' } } }).find(k => k.id === 'time-to-restore')?.group).toBe('dora');
  });

  it.each([
    [{ kpis: { 'alert-noise': { group: 'noise' } } }, /devopsPersonas\.kpis\.alert-noise\.group: "noise" is not a KPI group; use one of flow, stability, risk, measurements/],
    [{ kpis: { 'alert-noise': { group: 'dora' } } }, /devopsPersonas\.kpis\.alert-noise\.group: "dora" is not a KPI group/],
    [{ kpis: { 'change-failure-rate': { group: 'stability' } } }, /devopsPersonas\.kpis\.change-failure-rate\.group: a DORA KPI stays in the "dora" group/],
    [{ measurementKpis: [{ id: 'x', unit: 'count', group: 'dora' }] }, /devopsPersonas\.measurementKpis\[0\]\.group/],
    [{ measurementKpis: [{ id: 'x', unit: 'count', group: 'Flow' }] }, /devopsPersonas\.measurementKpis\[0\]\.group: "Flow" is not a KPI group/],
  ])('fails on %j naming the key', (section, message) => {
    expect(() => kpisOf(section)).toThrow(message);
  });
});

describe('readPersonasConfig: tiers and steady changes', () => {
  const read = (devopsPersonas: object = {}) => readPersonasConfig(new ConfigReader({ devopsPersonas }));

  it('defaults to a minimum sample of 5 and steady below 2 points or 5 %', () => {
    expect(read()).toMatchObject({ tierMinimumSample: 5, steadyChange: { points: 2, ratio: 0.05 } });
    expect(read({ tiers: { minimumSample: 10 }, steadyChange: { points: 0.5, ratio: 0.1 } })).toMatchObject({
      tierMinimumSample: 10,
      steadyChange: { points: 0.5, ratio: 0.1 },
    });
  });

  it('refuses values that cannot be meant, naming the key', () => {
    expect(() => read({ tiers: { minimumSample: 0 } })).toThrow(/devopsPersonas\.tiers\.minimumSample: must be a whole number of 1 or more/);
    expect(() => read({ tiers: { minimumSample: 2.5 } })).toThrow(/tiers\.minimumSample/);
    expect(() => read({ steadyChange: { points: -1 } })).toThrow(/devopsPersonas\.steadyChange\.points/);
    expect(() => read({ steadyChange: { ratio: 2 } })).toThrow(/devopsPersonas\.steadyChange\.ratio/);
  });
});
