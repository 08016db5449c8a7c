export { EntityRaciContent } from './EntityRaciContent';
