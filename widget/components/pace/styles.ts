import { css } from '../steering/css.js';

export const paceStyles = css`
  :host {
    --_behind: var(--survey-live-behind, var(--_danger));
    --_ahead: var(--survey-live-on-track, var(--_good));
  }
  .state {
    margin: 0;
    color: var(--_muted);
    font-size: clamp(0.9375rem, 2.6cqi, 1.5rem);
  }
  .verdict {
    display: inline-block;
    margin: 0.5rem 0;
    padding: 0.15em 0.6em;
    border: 2px solid currentColor;
    border-radius: 999px;
    font-weight: 700;
    font-size: clamp(1rem, 3cqi, 1.75rem);
  }
  .verdict[data-on-track='true'] {
    color: var(--_ahead);
  }
  .verdict[data-on-track='false'] {
    color: var(--_behind);
  }
  .forecast {
    margin: 0;
    font-size: clamp(1.0625rem, 3.4cqi, 2.25rem);
    font-weight: 600;
    line-height: 1.3;
  }
`;
