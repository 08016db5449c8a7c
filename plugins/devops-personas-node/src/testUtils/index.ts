/**
 * Test utilities for event source modules of DevOps Personas.
 *
 * @packageDocumentation
 */

export * from './startSourceTestBackend';
export * from './sourceTestDatabaseIds';
