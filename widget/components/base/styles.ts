/**
 * The look every element shares: theme colours, the card, the status badge and error box.
 * Public custom properties (`--survey-live-*`) are read with the theme's default as fallback,
 * so a page can set them on the element or on any ancestor (`:root` themes every widget).
 * Every colour pair meets WCAG AA (4.5:1) for text in both themes.
 */
import { css, unsafeCSS } from 'lit';

const dark = unsafeCSS(`
  --_bg: var(--survey-live-background, #111418);
  --_fg: var(--survey-live-text, #f2f4f7);
  --_muted: var(--survey-live-muted, #a7b1bc);
  --_accent: var(--survey-live-accent, #5eb1ff);
  --_border: var(--survey-live-border, #2a3139);
  --_track: #262d35;
  --_good: #4ac26b;
  --_warn: #e3b341;
  --_danger: #ff8b80;
  --_danger-bg: #3a1a1a;
  color-scheme: dark;
`);

export const themeStyles = css`
  :host {
    --_bg: var(--survey-live-background, #ffffff);
    --_fg: var(--survey-live-text, #1b1f24);
    --_muted: var(--survey-live-muted, #52606d);
    --_accent: var(--survey-live-accent, #0b5fb8);
    --_border: var(--survey-live-border, #d8dde3);
    --_track: #e8ebef;
    --_good: #1a7f37;
    --_warn: #8a5a00;
    --_danger: #b42318;
    --_danger-bg: #fdeceb;
    --_font: var(--survey-live-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_radius: var(--survey-live-radius, 12px);
    --_padding: var(--survey-live-padding, clamp(1rem, 4cqi, 2rem));
    color-scheme: light;
    display: block;
    min-width: 12rem;
    font-family: var(--_font);
    color: var(--_fg);
    line-height: 1.4;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
  :host([hidden]) {
    display: none;
  }
`;

export const cardStyles = css`
  .card {
    box-sizing: border-box;
    height: 100%;
    container-type: inline-size;
    padding: var(--_padding);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem 1rem;
    margin-bottom: 0.75rem;
  }
  .title {
    margin: 0;
    font-size: clamp(1.0625rem, 1.5cqi + 0.75rem, 2rem);
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .subtitle {
    display: block;
    color: var(--_muted);
    font-size: 0.8em;
    font-weight: 400;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    color: var(--_muted);
    font-size: clamp(0.8125rem, 2cqi, 1.125rem);
    white-space: nowrap;
  }
  .dot {
    width: 0.55em;
    height: 0.55em;
    border-radius: 50%;
    background: currentColor;
  }
  .status[data-status='live'] .dot {
    background: var(--_good);
    animation: pulse 2.4s ease-out infinite;
  }
  .status[data-status='reconnecting'],
  .status[data-status='degraded'] {
    color: var(--_warn);
  }
  .status[data-status='offline'] {
    color: var(--_danger);
  }
  @keyframes pulse {
    0% {
      box-shadow: 0 0 0 0 color-mix(in srgb, var(--_good) 60%, transparent);
    }
    70%,
    100% {
      box-shadow: 0 0 0 0.5em transparent;
    }
  }
  .message {
    margin: 0;
    padding: 0.75rem 1rem;
    border-radius: calc(var(--_radius) / 2);
    color: var(--_muted);
  }
  .message.error {
    color: var(--_danger);
    background: var(--_danger-bg);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    .status[data-status='live'] .dot {
      animation: none;
    }
  }
`;
