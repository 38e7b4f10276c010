/**
 * The survey platforms survey-live takes webhooks from. A third platform is one adapter file
 * (see platform.ts) and one line in `adapters` below, plus its name in SOURCE_PLATFORMS.
 */
import { SignatureVerifier } from '../signature.js';
import type { WebhookReceiver } from '../webhook-handler.js';
import { FormbricksAdapter } from './formbricks.js';
import { platformPath } from './platform.js';
import { createPlatformRoute, type PlatformRouteDeps } from './platform-route.js';
import { TypeformAdapter } from './typeform.js';

export interface PlatformRoutesDeps extends PlatformRouteDeps {
  /** Standard Webhooks secrets (WEBHOOK_SECRETS): Formbricks signs with them. */
  webhookSecrets: string[];
  /** TYPEFORM_SECRET, for Typeform sources without a secret of their own. */
  typeformSecret: string | undefined;
}

/** path -> receiver, one per platform (the HTTP edge serves each on plain node:http). */
export function createPlatformRoutes(deps: PlatformRoutesDeps): Map<string, WebhookReceiver> {
  const adapters = [new FormbricksAdapter(new SignatureVerifier(deps.webhookSecrets)), new TypeformAdapter(deps.typeformSecret)];
  return new Map(adapters.map((adapter) => [platformPath(adapter.platform), createPlatformRoute(adapter, deps)]));
}
