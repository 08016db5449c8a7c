export { EntityPersonasContent } from './EntityPersonasContent';
