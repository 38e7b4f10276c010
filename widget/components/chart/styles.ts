import { css } from 'lit';

export const chartStyles = css`
  .plot {
    position: relative;
    height: var(--survey-live-chart-height, clamp(200px, 42cqi, 520px));
  }
  .plot[hidden] {
    display: none;
  }
  canvas {
    display: block;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1.25rem;
    margin: 0.75rem 0 0;
    padding: 0;
    list-style: none;
    color: var(--_muted);
    font-size: clamp(0.8125rem, 2cqi, 1.125rem);
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 0.45em;
  }
  .swatch {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    border-radius: 3px;
    background: var(--_accent);
  }
  .swatch.good {
    background: var(--_good);
  }
  .swatch.line {
    height: 3px;
    border-radius: 2px;
    background: var(--_fg);
  }
  .swatch.target {
    height: 0;
    border-top: 2px dashed var(--_warn);
    background: none;
  }
`;
