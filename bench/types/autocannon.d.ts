/** The part of autocannon 9's API the bench uses (the package ships no types). */
declare module 'autocannon' {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request; returns the request to send. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void;
  }

  export interface AutocannonOptions {
    url: string;
    connections?: number;
    /** Seconds; ignored when `amount` is set. */
    duration?: number;
    /** Total requests; every one is answered before the run ends. */
    amount?: number;
    pipelining?: number;
    /** Milliseconds between samples; a run ends at the first sample after its last answer. */
    sampleInt?: number;
    /** Seconds. */
    timeout?: number;
    requests?: AutocannonRequest[];
  }

  export interface AutocannonHistogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }

  export interface AutocannonResult {
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    latency: AutocannonHistogram;
    requests: AutocannonHistogram & { sent: number };
    statusCodeStats: Record<string, { count: number }>;
  }

  /** A running benchmark: a promise of the result that also emits 'response' (client, status, bytes, ms). */
  export type AutocannonRun = Promise<AutocannonResult> & import('node:events').EventEmitter;

  export default function autocannon(options: AutocannonOptions): AutocannonRun;
}
