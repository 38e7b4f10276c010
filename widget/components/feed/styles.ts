import { css } from 'lit';

export const feedStyles = css`
  .list {
    display: grid;
    gap: 0.625rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .item {
    padding: 0.75rem 1rem;
    border-left: 4px solid var(--_accent);
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_fg) 4%, var(--_bg));
  }
  .text {
    margin: 0;
    font-size: clamp(1rem, 3cqi, 1.75rem);
    white-space: pre-line;
    overflow-wrap: anywhere;
  }
  .meta {
    margin: 0.375rem 0 0;
    color: var(--_muted);
    font-size: clamp(0.8125rem, 2cqi, 1.125rem);
  }
`;
