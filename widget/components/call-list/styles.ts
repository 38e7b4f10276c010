import { css } from '../steering/css.js';

export const callListStyles = css`
  .list {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 0.5rem;
  }
  .item {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: baseline;
    gap: 0 1rem;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--survey-live-behind, var(--_danger));
    border-radius: 4px;
    background: var(--_track);
    font-size: clamp(0.9375rem, 2.8cqi, 1.625rem);
  }
  .name {
    font-weight: 600;
  }
  .rate {
    font-variant-numeric: tabular-nums;
  }
  .needed {
    flex-basis: 100%;
    color: var(--_muted);
    font-size: 0.85em;
  }
`;
