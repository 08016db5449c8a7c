export { EntityDevopsPersonasSummaryCard } from './EntityDevopsPersonasSummaryCard';
export type { EntityDevopsPersonasSummaryCardProps } from './EntityDevopsPersonasSummaryCard';
