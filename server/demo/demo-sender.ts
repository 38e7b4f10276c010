/**
 * Posts signed webhooks for the demo survey through the real ingest path, at an irregular,
 * human pace: mostly a response every second or two, now and then a burst (a reminder round
 * of phone calls), with Swedish and English free text. It only ever talks to this server.
 */
import { randomUUID } from 'node:crypto';
import type { ResponseWebhook } from '../../shared/schemas.js';
import { webhookSigner } from '../ingest/signature.js';
import { demoSurvey } from './demo-survey.js';

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

export function demoResponse(submittedAt = new Date()): ResponseWebhook {
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
      ...(Math.random() < 0.97 ? { areaId: pick(areaWeights) } : {}),
      channel,
      submittedAt: submittedAt.toISOString(),
      answers,
    },
  };
}

const HISTORY = 420;

function pastDaytime(): Date {
  const hoursAgo = Math.random() * 72;
  const at = new Date(Date.now() - hoursAgo * 3_600_000);
  const hour = at.getHours();
  // Fold night-time answers into the evening: few tenants answer at 3 am.
  if (hour < 8) at.setHours(17 + (hour % 4));
  return at.getTime() > Date.now() ? new Date(Date.now() - 60_000) : at;
}

export interface DemoSender {
  stop(): void;
}

export function startDemoSender(options: { url: string; secret: string; onError?: (error: unknown) => void }): DemoSender {
  const sign = webhookSigner(options.secret);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const send = async (submittedAt?: Date) => {
    const body = JSON.stringify(demoResponse(submittedAt));
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

  // Start with three days of history (mostly daytime, when surveys are handed out and
  // tenants call back) so the first screen already shows a timeline and a leaderboard.
  void (async () => {
    for (let i = 0; i < HISTORY && !stopped; i++) await send(pastDaytime());
    schedule();
  })();

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
