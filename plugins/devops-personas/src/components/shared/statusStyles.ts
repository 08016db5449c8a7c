import { makeStyles } from '@material-ui/core/styles';

/**
 * Text colours for good and bad news that keep a contrast of at least 4.5:1
 * on the card's background, light or dark (the theme's `success.main` does
 * not: #2e7d32-ish greens on white are fine for fills, borderline for text).
 */
export const useStatusStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    /** #1b5e20 on white: 7.9:1; #a5d6a7 on #424242: 6.1:1. */
    good: { color: dark ? '#a5d6a7' : '#1b5e20' },
    /** #b71c1c on white: 6.6:1; #ef9a9a on #424242: 4.7:1. */
    bad: { color: dark ? '#ef9a9a' : '#b71c1c' },
    /** text.secondary: 4.6:1 on white. */
    neutral: { color: theme.palette.text.secondary },
  };
});
