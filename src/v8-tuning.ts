import { setFlagsFromString } from 'node:v8';

/**
 * Two V8 garbage-collector settings for a server that answers many small requests, each
 * measured with the peer comparison (docs/PERFORMANCE.md):
 *
 * - Allocation-site pretenuring off. Under load, the allocation sites of every request
 *   (Node's response headers, the HTTP parser's, Fastify's and pino's per-request objects)
 *   look long-lived to V8, because 50 requests are in flight whenever a young-generation
 *   collection runs, so V8 starts allocating them straight into the old generation. They
 *   die a few milliseconds later, but only a full collection frees them: the old generation
 *   grew by about 20 MB a second on `GET /api/users/me`, and the heap to 200-300 MB between
 *   full collections. Without pretenuring they die young, as they should: RSS after that
 *   load 177-179 MB instead of 198-325, and more requests per second.
 * - The old generation may grow by 20 % over what the last full collection kept before the
 *   next one starts (V8 picks up to 100 % or more on its own): full collections of this
 *   heap take a few milliseconds, incrementally, and the memory held between them stays
 *   close to what is live. RSS after the four peer workloads 186-197 MB instead of 202-206.
 *
 * Imported first by main.ts, before anything allocates much. V8 reads both flags at every
 * collection, so setting them at run time takes effect. PAIRGATE_V8_DEFAULTS=on leaves V8
 * as it is (for comparing).
 */
if (process.env.PAIRGATE_V8_DEFAULTS !== 'on') {
  setFlagsFromString('--no-allocation-site-pretenuring');
  setFlagsFromString('--heap-growing-percent=20');
}
