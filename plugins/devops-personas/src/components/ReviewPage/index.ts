export { ReviewPage, NfsReviewPage } from './ReviewPage';
