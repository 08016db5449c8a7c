import { createApp } from '@backstage/frontend-defaults';
import { appModule } from './modules/app';

/**
 * The plugins come from discovery (`app.packages: all` in this package's
 * app-config.yaml): every frontend plugin in package.json's dependencies,
 * DevOps Personas included. Only the app's own pieces are listed here.
 */
export default createApp({
  features: [appModule],
});
