import { SignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { iconsApiV2 } from './iconsApiV2';
import { SidebarContent } from './nav/Sidebar';

/**
 * Guest sign-in, as in the legacy app: the backend's guest provider signs
 * everyone in as the user of `auth.providers.guest.userEntityRef`.
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props =>
      <SignInPage {...props} auto providers={['guest']} />,
  },
});

/**
 * The app's own extensions: the sign-in page, the sidebar, and the icons API
 * under the id newer core packages look for (see iconsApiV2.ts).
 */
export const appModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, SidebarContent, iconsApiV2],
});
