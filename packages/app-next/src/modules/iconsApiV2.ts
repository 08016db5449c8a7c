import {
  ApiBlueprint,
  createApiRef,
  IconsApi,
  iconsApiRef,
} from '@backstage/frontend-plugin-api';

/**
 * The icons API under the id that `@backstage/core-plugin-api` 1.13 looks
 * for (`core.icons.v2`, from `@backstage/frontend-plugin-api` 1.0).
 *
 * Why: this repository's lockfile resolves `@backstage/core-components` to
 * 0.18.16 and with it `@backstage/core-plugin-api` to 1.13.0, releases newer
 * than the Backstage 1.55 ones of `@backstage/frontend-plugin-api` (0.18.1)
 * and `@backstage/plugin-app` (0.5.3) this app runs on. Their `useApp()`
 * (behind `AppIcon`, `StarIcon`, `Link`, … of core-components, used by the
 * catalog and most plugins) finds the new frontend system's app only through
 * that API, and otherwise throws "App context is not available". The app
 * plugin of 0.5.3 provides the same API as `core.icons` only; this passes it
 * on. Remove it once the app's Backstage packages come from one release.
 */
const iconsApiV2Ref = createApiRef<
  Pick<IconsApi, 'icon' | 'listIconKeys'>
>().with({ id: 'core.icons.v2', pluginId: 'app' });

export const iconsApiV2 = ApiBlueprint.make({
  name: 'icons-v2',
  params: defineParams =>
    defineParams({
      api: iconsApiV2Ref,
      deps: { icons: iconsApiRef },
      factory: ({ icons }) => icons,
    }),
});
