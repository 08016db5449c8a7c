import { makeStyles } from '@material-ui/core/styles';

/** Wrap at spaces only: never "Commerc / e Team" or "deterio / rates". */
const noBreaks = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  hyphens: 'none',
} as const;

/**
 * The review page's styles, on screen and on paper. Printed, the page keeps
 * its title and week (the Backstage header, without its banner, in black),
 * drops the sidebar, the picker and the buttons, and keeps table rows whole.
 */
export const useReviewStyles = makeStyles(theme => ({
  root: {
    // a visible keyboard focus on every link, button and the picker
    // (the picker's outlined field shows its own focus, a thick border)
    '& a:focus-visible, & button:focus-visible, & [role="button"]:focus-visible, & .Mui-focusVisible':
      {
        outline: `2px solid ${theme.palette.primary.main}`,
        outlineOffset: 2,
      },
  },
  '@media print': {
    '@global': {
      'nav[aria-label="sidebar nav"]': { display: 'none !important' },
      // The page header's title and subtitle are the agenda's heading: white
      // on a banner on screen, black on white paper.
      '[data-backstage-core-header]': {
        backgroundImage: 'none !important',
        backgroundColor: 'transparent !important',
        boxShadow: 'none !important',
        padding: '0 0 12px !important',
      },
      '[data-backstage-core-header] *': {
        color: '#000 !important',
        opacity: '1 !important',
      },
    },
  },
  // the subtitle's line where the app's page layout shows the title (new
  // frontend system): printed, in black, the agenda's heading
  subtitle: {
    marginBottom: theme.spacing(2),
    '@media print': { color: '#000 !important' },
  },
  noPrint: {
    '@media print': { display: 'none !important' },
  },
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(3),
  },
  picker: { width: 360, maxWidth: '100%' },
  buttons: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    // level with the outlined picker's input
    paddingTop: 2,
  },
  section: {
    marginBottom: theme.spacing(4),
    '@media print': { marginBottom: theme.spacing(2) },
  },
  heading: {
    '@media print': { breakAfter: 'avoid', pageBreakAfter: 'avoid' },
  },
  count: {
    color: theme.palette.text.secondary,
    fontWeight: 'normal',
  },
  empty: { color: theme.palette.text.primary },
  table: {
    width: '100%',
    tableLayout: 'auto',
    '& th, & td': {
      padding: '6px 8px',
      verticalAlign: 'top',
      fontSize: '0.8125rem',
      ...noBreaks,
    },
    '& th': { fontSize: '0.75rem', lineHeight: 1.3, fontWeight: 600 },
    '@media print': {
      '& th, & td': { padding: '4px 6px', fontSize: '9pt' },
    },
  },
  row: {
    '@media print': { breakInside: 'avoid', pageBreakInside: 'avoid' },
  },
  secondary: {
    // Backstage's textSubtle: 4.8:1 on white, where text.secondary would be
    // borderline on the table's hover and striped rows
    color: theme.palette.textSubtle ?? theme.palette.text.secondary,
    fontSize: '0.75rem',
    ...noBreaks,
  },
  lines: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    '& > li + li': { marginTop: 2 },
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
  response: { fontStyle: 'italic' },
  option: { display: 'flex', flexDirection: 'column' },
  // Refs, ids and annotation keys have no spaces: they may break anywhere
  // (last, to win over the no-break rules of the classes they join).
  ref: { overflowWrap: 'anywhere' },
  code: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    overflowWrap: 'anywhere',
  },
}));
