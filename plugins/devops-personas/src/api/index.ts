export * from './DevopsPersonasApi';
export * from './DevopsPersonasClient';
