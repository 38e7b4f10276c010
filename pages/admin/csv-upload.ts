/**
 * What the admin page's CSV uploads share (the hand-out list and an earlier campaign's history):
 * reading the chosen file, and showing the server's errors, one per bad line of the file, with
 * the line and column in the page's language.
 */
import { html, nothing, type TemplateResult } from 'lit';

/** A problem's field error as the CSV routes write it: `path` is "line 3, column 2". */
export interface LineError {
  path: string;
  message: string;
}

/** The chosen file of a file input's change event: its name and text ('' when the choice was cleared). */
export async function chosenFile(event: Event): Promise<{ name: string; text: string }> {
  const chosen = (event.target as HTMLInputElement).files?.[0];
  return { name: chosen?.name ?? '', text: chosen ? await chosen.text() : '' };
}

/** "line 3, column 2" in the page's words ("Rad 3, kolumn 2"); any other path as it is. */
export function linePlace(path: string, words: { line: string; column: string }): string {
  const match = /^line (\d+)(?:, column (\d+))?$/.exec(path);
  if (!match) return path;
  return match[2] ? `${words.line} ${match[1]}, ${words.column.toLowerCase()} ${match[2]}` : `${words.line} ${match[1]}`;
}

/** A refused file's errors as an alert list (nothing when there are none). */
export function lineErrorList(errors: readonly LineError[], words: { line: string; column: string }): TemplateResult | typeof nothing {
  if (errors.length === 0) return nothing;
  return html`<ul class="line-errors" role="alert">
    ${errors.map((error) => html`<li>${linePlace(error.path, words)}: ${error.message}</li>`)}
  </ul>`;
}
