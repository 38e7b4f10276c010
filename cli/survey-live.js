#!/usr/bin/env node
// The `survey-live` command: runs the TypeScript CLI through tsx, so it needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
