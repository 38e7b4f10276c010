/**
 * Posts signed webhooks for the demo survey through the real ingest path, at an irregular,
 * human pace: mostly a response every second or two, now and then a burst (a reminder round
 * of phone calls), with Swedish and English free text. It only ever talks to this server.
 */
import { randomUUID } from 'node:crypto';
import type { ResponseWebhook } from '../../shared/schemas.js';
import { webhookSigner } from '../ingest/signature.js';
import { DEMO_DAYS_OPEN, DOOR_ROUND_DAY, demoSurvey, PHONE_ROUND_DAY } from './demo-survey.js';

const COMMENTS = [
  'Trapphuset städas alldeles för sällan, annars är jag nöjd.',
  'Tack för snabb hjälp med diskmaskinen förra månaden!',
  'Belysningen vid cykelförrådet är trasig sedan i höstas.',
  'Det känns otryggt att gå genom parkeringen på kvällen.',
  'Mycket trevlig fastighetsskötare, alltid hjälpsam.',
  'Tvättstugan är ofta fullbokad, vi behöver fler maskiner.',
  'Bra att ni har bytt fönster, det har blivit mycket varmare.',
  'Lekplatsen behöver rustas upp, barnen saknar gungor.',
  'Grannarna spelar hög musik på nätterna, svårt att sova.',
  'Jag trivs jättebra i området och vill gärna bo kvar länge.',
  'Ring mig gärna på 070-123 45 67 om ventilationen.',
  'Hissen har varit ur funktion två gånger den här månaden.',
  'The laundry room booking system is hard to use.',
  'Great maintenance team, they fixed my sink in one day.',
  'Please add more bike racks near the entrance.',
  'Snöröjningen fungerade dåligt i vintras.',
  'Mer grönska på gården vore fint, kanske några bänkar?',
  'I feel safe here, the new door locks were a good idea.',
  'Sophanteringen är rörig, kärlen är alltid fulla på söndagar.',
  'Hyran har höjts men standarden är densamma.',
];

const CHANNELS: [string, number][] = [
  ['door', 0.4],
  ['mail', 0.25],
  ['web', 0.2],
  ['phone', 0.15],
];

const pick = <T>(weighted: [T, number][]): T => {
  let r = Math.random();
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r <= 0) return value;
  }
  return weighted[weighted.length - 1]![0];
};

const areaWeights: [string, number][] = (() => {
  const total = demoSurvey.areas.reduce((sum, area) => sum + area.distributed, 0);
  return demoSurvey.areas.map((area) => [area.id, area.distributed / total]);
})();

/** Answers skewed towards content tenants, as real surveys are. */
const score = () => Math.min(5, Math.max(1, Math.round(3.6 + (Math.random() - 0.45) * 3)));

export function demoResponse(submittedAt = new Date(), areaId: string | undefined = Math.random() < 0.97 ? pick(areaWeights) : undefined): ResponseWebhook {
  const answers: ResponseWebhook['data']['answers'] = [
    { questionId: 'safe-stairwell', value: score() },
    { questionId: 'safe-outdoors', value: score() },
  ];
  if (Math.random() < 0.8) answers.push({ questionId: 'safe-night', value: score() });
  if (Math.random() < 0.35) answers.push({ questionId: 'comment', text: COMMENTS[Math.floor(Math.random() * COMMENTS.length)]! });
  const channel = pick(CHANNELS);
  return {
    type: 'response.created',
    timestamp: new Date().toISOString(),
    data: {
      responseId: `demo-${randomUUID()}`,
      surveyId: demoSurvey.id,
      ...(areaId ? { areaId } : {}),
      channel,
      submittedAt: submittedAt.toISOString(),
      answers,
    },
  };
}

/**
 * The campaign so far, as real ones go: a wave in the first days after the surveys are handed
 * out, a slow decline, a bump after the phone round (day 8) and another when the door
 * knocking starts (day 14; both are the demo's reminder rounds, demo-survey.ts), quiet weekends; areas answer at their own pace (Norrby and Hagalund
 * lag, Strandängen leads), so the call list has something to say.
 */
const HISTORY = 420;
const AREA_PACE: Record<string, number> = { centrum: 1, norrby: 0.6, sodermalm: 1, ekbacken: 1.1, hagalund: 0.65, strandangen: 1.4 };

function campaignDayWeight(day: number, at: Date): number {
  const wave = 3 * Math.exp(-day / 3);
  const reminder = day >= PHONE_ROUND_DAY ? 1.2 * Math.exp(-(day - PHONE_ROUND_DAY) / 2) : 0;
  const doors = day >= DOOR_ROUND_DAY ? 0.5 * Math.exp(-(day - DOOR_ROUND_DAY) / 4) : 0;
  const weekend = [0, 6].includes(at.getUTCDay()) ? 0.5 : 1;
  return (0.2 + wave + reminder + doors) * weekend;
}

const historyPlan: { day: number; weight: number }[] = (() => {
  const opensAt = Date.parse(demoSurvey.opensAt!);
  return Array.from({ length: DEMO_DAYS_OPEN + 1 }, (_, day) => ({ day, weight: campaignDayWeight(day, new Date(opensAt + day * 86_400_000)) }));
})();

const areaHistoryWeights: [string, number][] = (() => {
  const weights = demoSurvey.areas.map((area) => [area.id, area.distributed * (AREA_PACE[area.id] ?? 1)] as [string, number]);
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  return weights.map(([id, weight]) => [id, weight / total]);
})();

/** A moment in the campaign so far, by the curve above, in the daytime (8–21 UTC), never in the future. */
function campaignMoment(): Date {
  const day = pick(historyPlan.map(({ day, weight }) => [day, weight / historyPlan.reduce((sum, entry) => sum + entry.weight, 0)] as [number, number]));
  const at = Date.parse(demoSurvey.opensAt!) + day * 86_400_000 + (2 + Math.random() * 13) * 3_600_000;
  return new Date(Math.min(at, Date.now() - 60_000));
}

export interface DemoSender {
  stop(): void;
}

export function startDemoSender(options: { url: string; secret: string; onError?: (error: unknown) => void }): DemoSender {
  const sign = webhookSigner(options.secret);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const send = async (submittedAt?: Date, areaId?: string) => {
    const body = JSON.stringify(areaId || submittedAt ? demoResponse(submittedAt, areaId) : demoResponse());
    try {
      await fetch(options.url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...sign(body) }, body });
    } catch (error) {
      options.onError?.(error);
    }
  };

  const schedule = () => {
    if (stopped) return;
    // Exponential gaps (mean ~1.6 s), and one time in twenty a short burst of phone-round answers.
    const burst = Math.random() < 0.05 ? 3 + Math.floor(Math.random() * 6) : 1;
    const gap = -Math.log(1 - Math.random()) * 1600;
    timer = setTimeout(async () => {
      for (let i = 0; i < burst && !stopped; i++) await send();
      schedule();
    }, gap);
  };

  // Start with the campaign's history (mostly daytime, when surveys are handed out and tenants
  // call back) so the first screen already shows a timeline, a leaderboard and a pace.
  void (async () => {
    for (let i = 0; i < HISTORY && !stopped; i++) await send(campaignMoment(), Math.random() < 0.97 ? pick(areaHistoryWeights) : undefined);
    schedule();
  })();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
