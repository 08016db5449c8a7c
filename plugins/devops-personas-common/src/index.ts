/**
 * Common types, ids, built-in defaults and annotation parsing of the DevOps
 * Personas plugins.
 *
 * @packageDocumentation
 */

export * from './ids';
export * from './types';
export * from './defaults';
export * from './kpis';
export * from './kpiDefinitions';
export * from './annotations';
export * from './permissions';
export * from './review';
export * from './formatKpiValue';
