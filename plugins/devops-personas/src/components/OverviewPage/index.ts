export { OverviewPage, NfsOverviewPage } from './OverviewPage';
