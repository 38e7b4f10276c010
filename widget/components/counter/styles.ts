import { css } from 'lit';

export const counterStyles = css`
  .value {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.4em;
  }
  .number {
    font-size: clamp(2.5rem, 16cqi, 9rem);
    font-weight: 700;
    line-height: 1.05;
    letter-spacing: -0.02em;
    font-variant-numeric: tabular-nums;
  }
  .unit,
  .rate-label {
    color: var(--_muted);
    font-size: clamp(1rem, 3.5cqi, 2rem);
  }
  .rate-row {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.5em;
    margin-top: 0.25rem;
  }
  .rate {
    color: var(--_accent);
    font-size: clamp(1.5rem, 7cqi, 4rem);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .progress {
    position: relative;
    height: clamp(0.625rem, 2cqi, 1.25rem);
    margin: 1rem 0 0.625rem;
    border-radius: 999px;
    background: var(--_track);
  }
  .bar {
    height: 100%;
    border-radius: inherit;
    background: var(--_accent);
    transition: width 0.6s ease-out;
  }
  .target {
    position: absolute;
    top: -0.3rem;
    bottom: -0.3rem;
    width: 3px;
    margin-left: -1.5px;
    border-radius: 2px;
    background: var(--_fg);
  }
  .detail {
    margin: 0;
    color: var(--_muted);
    font-size: clamp(0.875rem, 2.6cqi, 1.5rem);
  }
  @media (prefers-reduced-motion: reduce) {
    .bar {
      transition: none;
    }
  }
`;
