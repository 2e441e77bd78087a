import { setFlagsFromString } from 'node:v8';

/**
 * V8's allocation-site pretenuring is off. Under load, the allocation sites of every request
 * (Node's response headers, the HTTP parser's, Fastify's and pino's per-request objects)
 * look long-lived to V8, because 50 requests are in flight whenever a young-generation
 * collection runs, so V8 starts allocating them straight into the old generation. They die
 * a few milliseconds later, but only a full collection frees them: the old generation grew
 * by about 20 MB a second on `GET /api/users/me`, and the heap to 200-300 MB between full
 * collections. Without pretenuring they die young, as they should: RSS after the load
 * 177-179 MB instead of 198-325, and more requests per second (docs/PERFORMANCE.md).
 *
 * Imported first by main.ts, before anything allocates much. V8 reads the flag at every
 * collection, so setting it at run time takes effect; `node --allocation-site-pretenuring`
 * cannot turn it back on (this runs after the command line), PAIRGATE_V8_PRETENURING=on can.
 */
if (process.env.PAIRGATE_V8_PRETENURING !== 'on') {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
