/**
 * WCAG 2 contrast ratio of two CSS colours given as `#rrggbb` or
 * `rgb(r, g, b)`, for tests of text and background colours. (Test helper;
 * it belongs in `src/__testUtils__` when that folder is free to edit.)
 */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

function channels(color: string): number[] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (hex) return hex.slice(1).map(h => parseInt(h, 16));
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(color.trim());
  if (rgb) return rgb.slice(1, 4).map(Number);
  throw new Error(`Not a colour: "${color}"`);
}

function luminance(color: string): number {
  const [r, g, b] = channels(color).map(c => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
