import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ReviewAgendaResponse } from '@devops-personas/plugin-devops-personas-common';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import NavigateBeforeIcon from '@material-ui/icons/NavigateBefore';
import NavigateNextIcon from '@material-ui/icons/NavigateNext';
import PrintIcon from '@material-ui/icons/Print';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { devopsPersonasApiRef } from '../../api';
import { ErrorWithRetry } from '../shared/ErrorWithRetry';
import { PageFrame } from '../shared/PageFrame';
import { formatDateRange } from '../shared/format';
import { WarningList } from '../shared/WarningList';
import {
  EntityPicker,
  reviewableFromRef,
  useReviewableEntities,
} from './EntityPicker';
import { ReviewAgenda } from './ReviewAgenda';
import {
  entitiesInWords,
  kpiWindowInWords,
  nextWeekUntil,
  useReviewParams,
} from './reviewParams';
import { useReviewStyles } from './styles';

const DEFAULT_SUBTITLE =
  'What got worse this week, and who owns each line: for a System or a team';

/**
 * "Payments · Week 23 Nov – 29 Nov 2026 (UTC) · 30-day KPIs against a week
 * earlier · 4 entities reviewed".
 */
function subtitleOf(agenda: ReviewAgendaResponse, label: string): string {
  return [
    label,
    `Week ${formatDateRange(agenda.week.start, agenda.week.end)} (UTC)`,
    `${kpiWindowInWords(agenda.kpiWindow)} KPIs against a week earlier`,
    entitiesInWords(agenda.entities.length),
  ].join(' · ');
}

/**
 * The weekly review: pick a System or team (or follow a link from a
 * notification or a KPIs tab) and see what needs deciding this week: the
 * KPIs that got worse since the week before, the SLOs spending their error
 * budget fastest, overdue critical vulnerabilities and postmortem actions due
 * or late, each line with its owner and the agreed response. The entity and
 * the end of the week are kept in the URL (`entity`, `until`); the page
 * prints as an agenda. A whole page with its own header, for the legacy
 * frontend system.
 *
 * @public
 */
export function ReviewPage() {
  return <ReviewPageView withHeader />;
}

/**
 * The weekly review for the new frontend system, whose page layout already
 * shows the title (the `PageBlueprint`'s): the content only, the subtitle
 * (entity, week, KPI window) as its first line, without a second header.
 */
export function NfsReviewPage() {
  return <ReviewPageView withHeader={false} />;
}

function ReviewPageView(props: { withHeader: boolean }) {
  const classes = useReviewStyles();
  const api = useApi(devopsPersonasApiRef);
  const { entityRef, invalidEntity, until, update } = useReviewParams();
  const catalog = useReviewableEntities();
  const options = catalog.value ?? [];
  const selected = entityRef
    ? options.find(option => option.ref === entityRef) ??
      reviewableFromRef(entityRef)
    : undefined;

  const review = useAsyncRetry(
    async () =>
      entityRef ? api.getReview(entityRef, until ? { until } : {}) : undefined,
    [api, entityRef, until],
  );
  const agenda = review.loading ? undefined : review.value;
  const nextUntil = agenda ? nextWeekUntil(agenda.week.end) : undefined;

  const subtitle =
    agenda && selected ? subtitleOf(agenda, selected.label) : DEFAULT_SUBTITLE;

  return (
    <PageFrame
      withHeader={props.withHeader}
      title="Weekly review"
      subtitle={subtitle}
      className={classes.root}
      subtitleClassName={classes.subtitle}
    >
      <div className={`${classes.toolbar} ${classes.noPrint}`}>
        <EntityPicker
          options={options}
          selected={selected}
          loading={catalog.loading}
          error={catalog.error}
          onChange={ref => update({ entity: ref })}
        />
        {agenda && (
          <div className={classes.buttons}>
            <Button
              variant="outlined"
              startIcon={<NavigateBeforeIcon />}
              onClick={() => update({ until: agenda.week.start })}
            >
              Previous week
            </Button>
            <Button
              variant="outlined"
              endIcon={<NavigateNextIcon />}
              disabled={!until}
              onClick={() => update({ until: nextUntil })}
            >
              Next week
            </Button>
            <Button
              variant="contained"
              color="primary"
              startIcon={<PrintIcon />}
              onClick={() => window.print()}
            >
              Print
            </Button>
          </div>
        )}
      </div>
      {invalidEntity && (
        <Alert severity="error">
          “{invalidEntity}” is not an entity reference such as
          system:default/payments. Pick a System or team instead.
        </Alert>
      )}
      {!entityRef && !invalidEntity && (
        <EmptyState
          missing="info"
          title="Pick a System or team to see what needs deciding this week"
          description="The agenda lists the KPIs that got worse since last week, the SLOs spending their error budget fastest, overdue critical vulnerabilities and postmortem actions due or late, with the owner of each line and the agreed response. The KPIs tab of every entity links here too."
        />
      )}
      {entityRef && review.loading && <Progress />}
      {entityRef && review.error && !review.loading && (
        <ErrorWithRetry
          what={`Could not load the weekly review of ${entityRef}`}
          error={review.error}
          onRetry={review.retry}
        />
      )}
      {agenda && !review.error && (
        <>
          <WarningList
            warnings={agenda.warnings}
            entityRef={agenda.entityRef}
          />
          <ReviewAgenda agenda={agenda} />
        </>
      )}
    </PageFrame>
  );
}
