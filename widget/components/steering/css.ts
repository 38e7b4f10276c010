/**
 * CSS as a plain string, for the steering elements' styles: they travel in the steering chunk
 * (adopted as constructed style sheets, which a strict CSP allows) rather than the entry. Named
 * `css` so the build minifies these templates as it minifies Lit's.
 */
export const css = String.raw;

/** A constructed style sheet of the text; the same sheet serves every element of a kind. */
export function sheetOf(text: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
}
