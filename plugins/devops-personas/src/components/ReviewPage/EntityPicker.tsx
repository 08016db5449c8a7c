import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useReviewStyles } from './styles';

/** An entity that can be reviewed, as the picker lists it. */
export interface ReviewableEntity {
  /** Full ref, lower case. */
  ref: string;
  /** Lower case. */
  kind: string;
  /** Title, profile display name or name. */
  label: string;
}

/** The option groups, in this order; other kinds (from a link) come last. */
const KIND_GROUPS: Record<string, string> = {
  system: 'Systems',
  group: 'Teams and groups',
};
const KIND_ORDER = Object.keys(KIND_GROUPS);

const capitalize = (word: string) =>
  word ? word[0].toLocaleUpperCase('en-US') + word.slice(1) : word;

function groupOf(kind: string): string {
  return KIND_GROUPS[kind] ?? capitalize(kind);
}

function rank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? KIND_ORDER.length : index;
}

/** Systems first, then teams, then anything else; by label within each. */
function byGroupThenLabel(a: ReviewableEntity, b: ReviewableEntity) {
  return (
    rank(a.kind) - rank(b.kind) ||
    a.kind.localeCompare(b.kind) ||
    a.label.localeCompare(b.label, 'en-US', { sensitivity: 'base' }) ||
    a.ref.localeCompare(b.ref)
  );
}

function toReviewable(entity: Entity): ReviewableEntity {
  const profile = (entity.spec?.profile ?? {}) as { displayName?: string };
  return {
    ref: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    label: entity.metadata.title || profile.displayName || entity.metadata.name,
  };
}

/**
 * An entity the catalog list does not have (a Component linked from its KPIs
 * tab, or one the catalog has not answered for yet), named after its ref.
 */
export function reviewableFromRef(ref: string): ReviewableEntity {
  const parsed = parseEntityRef(ref);
  return {
    ref,
    kind: parsed.kind,
    label:
      parsed.namespace === 'default'
        ? parsed.name
        : `${parsed.namespace}/${parsed.name}`,
  };
}

/** The Systems and Groups of the catalog, sorted for the picker. */
export function useReviewableEntities() {
  const catalogApi = useApi(catalogApiRef);
  return useAsyncRetry(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['System', 'Group'] },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items.map(toReviewable).sort(byGroupThenLabel);
  }, [catalogApi]);
}

const filterOptions = createFilterOptions<ReviewableEntity>({
  // by what is shown and by ref: "payments", "Commerce", "group:default/sre"
  stringify: option => `${option.label} ${option.ref}`,
});

/**
 * The "System or team" picker: the catalog's Systems and Groups, grouped by
 * kind, by title or display name. The selected entity is always an option,
 * even when it is of another kind.
 */
export function EntityPicker(props: {
  options: ReviewableEntity[];
  selected: ReviewableEntity | undefined;
  loading: boolean;
  error?: Error;
  onChange: (ref: string | undefined) => void;
}) {
  const classes = useReviewStyles();
  const { selected } = props;
  const options =
    selected && !props.options.some(option => option.ref === selected.ref)
      ? [...props.options, selected].sort(byGroupThenLabel)
      : props.options;
  return (
    <Autocomplete<ReviewableEntity>
      id="devops-personas-review-entity"
      className={classes.picker}
      options={options}
      value={selected ?? null}
      loading={props.loading}
      groupBy={option => groupOf(option.kind)}
      getOptionLabel={option => option.label}
      getOptionSelected={(option, value) => option.ref === value.ref}
      filterOptions={filterOptions}
      onChange={(_event, option) => props.onChange(option?.ref)}
      renderOption={option => (
        <div className={classes.option}>
          <span>{option.label}</span>
          <Typography
            variant="caption"
            component="span"
            className={`${classes.secondary} ${classes.ref}`}
          >
            {option.ref}
          </Typography>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label="System or team"
          placeholder="Search by name"
          variant="outlined"
          size="small"
          error={!!props.error}
          helperText={
            props.error
              ? `Could not list the Systems and teams: ${props.error.message}`
              : undefined
          }
        />
      )}
    />
  );
}
