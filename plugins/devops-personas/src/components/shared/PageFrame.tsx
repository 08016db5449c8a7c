import { ReactNode } from 'react';
import { Content, Header, Page } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/**
 * A page of the plugin in either frontend system. In the legacy one it is a
 * whole page with its own header (title and subtitle); in the new one the
 * app's page layout already shows the title (the `PageBlueprint`'s), so
 * there is no second header and the subtitle is the content's first line.
 */
export function PageFrame(props: {
  withHeader: boolean;
  title: string;
  subtitle: string;
  /** The class of the element around the content. */
  className: string;
  /** The class of the subtitle's line in the new frontend system. */
  subtitleClassName: string;
  children: ReactNode;
}) {
  const content = (
    <Content>
      <div className={props.className}>
        {!props.withHeader && (
          <Typography
            variant="subtitle1"
            component="p"
            color="textSecondary"
            className={props.subtitleClassName}
          >
            {props.subtitle}
          </Typography>
        )}
        {props.children}
      </div>
    </Content>
  );
  if (!props.withHeader) return content;
  return (
    <Page themeId="tool">
      <Header title={props.title} subtitle={props.subtitle} />
      {content}
    </Page>
  );
}
