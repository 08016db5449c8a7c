export { EntityHatsCard } from './EntityHatsCard';
