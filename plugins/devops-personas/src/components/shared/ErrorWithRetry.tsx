import Button from '@material-ui/core/Button';
import { WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/** What a person can do about the usual failures, by HTTP status. */
const HINTS: Record<number, string> = {
  401: 'You are not signed in, or your session expired; sign in again.',
  403: 'You are not allowed to read this; ask your Backstage administrator for access.',
  404: 'The catalog does not know this entity; it may have been removed or renamed.',
  503: 'The DevOps Personas backend or its database is busy or restarting; try again in a few seconds.',
};

/**
 * A failed request said in words: what could not be loaded, the backend's
 * own message, and a retry button (a 503 is usually over in seconds).
 */
export function ErrorWithRetry(props: {
  /** What failed, e.g. "Could not load the KPIs of this entity". */
  what: string;
  error: Error;
  onRetry?: () => void;
}) {
  const { what, error, onRetry } = props;
  const status = error instanceof ResponseError ? error.statusCode : undefined;
  const message =
    error instanceof ResponseError
      ? error.body?.error?.message ?? error.message
      : error.message;
  const hint = status ? HINTS[status] : undefined;
  return (
    <WarningPanel severity="error" title={what} defaultExpanded>
      <div role="alert">
        {hint && <p style={{ marginTop: 0 }}>{hint}</p>}
        <p>
          {status ? `The server answered ${status}: ` : ''}
          {message}
        </p>
        {onRetry && (
          <Button variant="outlined" color="primary" onClick={onRetry}>
            Try again
          </Button>
        )}
      </div>
    </WarningPanel>
  );
}
