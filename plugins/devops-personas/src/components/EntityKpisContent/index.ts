export { EntityKpisContent } from './EntityKpisContent';
