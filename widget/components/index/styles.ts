import { css } from '../steering/css.js';

export const indexStyles = css`
  .value {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.5em;
  }
  .number {
    font-size: clamp(2.5rem, 14cqi, 8rem);
    font-weight: 700;
    line-height: 1.05;
    color: var(--survey-live-accent, var(--_accent));
    font-variant-numeric: tabular-nums;
  }
  .n,
  .why {
    color: var(--_muted);
    font-size: clamp(0.875rem, 2.6cqi, 1.5rem);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: clamp(0.9375rem, 2.6cqi, 1.5rem);
  }
  th,
  td {
    padding: 0.35em 0.5em;
    border-bottom: 1px solid var(--_border);
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  th:first-child,
  td:first-child {
    text-align: start;
  }
  th {
    color: var(--_muted);
    font-weight: 600;
  }
`;
