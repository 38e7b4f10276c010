/** Loads the steering chunk once for every element that needs it; each asks again on its next render. */
import type { ReactiveElement } from 'lit';

type SteeringView = typeof import('./steering-view.js');
type Kind = Parameters<SteeringView['sheetFor']>[0];

let view: SteeringView | undefined;
let loading: Promise<SteeringView> | undefined;

/** Adds the kind's style sheet to the host's shadow root, once; a host with styles of its own names no kind. */
function adopt(host: ReactiveElement, kind: Kind | undefined, loaded: SteeringView): void {
  if (!kind) return;
  const root = host.renderRoot as ShadowRoot;
  const sheet = loaded.sheetFor(kind);
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** The loaded view, or undefined while it loads (the host renders again once it has). */
export function steeringView(host: ReactiveElement, kind?: Kind): SteeringView | undefined {
  if (view) {
    adopt(host, kind, view);
    return view;
  }
  loading ??= import('./steering-view.js').then((loaded) => {
    view = loaded;
    return loaded;
  });
  loading.then(
    () => host.requestUpdate(),
    // A failed download is tried again with the next render.
    () => {
      loading = undefined;
    },
  );
  return undefined;
}
