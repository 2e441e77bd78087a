import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RedisConnections } from './redis-connections.js';

type Handler = (message: unknown) => void;

interface Envelope {
  id: string;
  origin: string;
  message: unknown;
}

const ACKS = 'pairgate:eviction-acks';
/** How long a publisher waits for every instance to confirm before it answers anyway. */
const ACK_TIMEOUT_MS = 250;

/**
 * Tells the other instances to drop what they cached, over Redis pub/sub. Every in-process
 * cache whose entries a change can invalidate (principals, pending device codes, OAuth
 * clients) evicts locally, then publishes here; the other instances evict on receipt. A
 * cache still bounds its entries with a TTL, for a message lost while Redis was down.
 *
 * `publish` resolves once every instance that received the message has confirmed it evicted
 * (or after ACK_TIMEOUT_MS): a caller that awaits it before answering makes its change hold
 * on every instance at the client's next request. Without the confirmation, a request sent
 * to another instance right after the answer could be read there before the message was.
 */
@Injectable()
export class EvictionBus implements OnModuleInit {
  private readonly logger = new Logger(EvictionBus.name);
  private readonly instanceId = randomUUID();
  private readonly handlers = new Map<string, Handler>();
  /** Per message: confirmations so far, how many PUBLISH said received it (once known). */
  private readonly waiting = new Map<
    string,
    { acks: number; expected: number | null; done: () => void }
  >();
  private listening = false;

  constructor(private readonly redis: RedisConnections) {}

  onModuleInit(): void {
    this.listen();
  }

  /** Calls `handler` with each message another instance publishes on `channel`. */
  subscribe(channel: string, handler: Handler): void {
    const subscriber = this.listen();
    if (!subscriber) return;
    this.handlers.set(channel, handler);
    subscriber.subscribe(channel).catch((err: Error) => this.logger.warn(err.message));
  }

  async publish(channel: string, message: unknown): Promise<void> {
    const publisher = this.redis.command;
    if (!publisher || !this.redis.available) return;
    const id = randomUUID();
    const confirmed = new Promise<void>((done) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        done();
      }, ACK_TIMEOUT_MS);
      this.waiting.set(id, {
        acks: 0,
        expected: null,
        done: () => {
          clearTimeout(timer);
          this.waiting.delete(id);
          done();
        },
      });
    });
    try {
      const envelope: Envelope = { id, origin: this.instanceId, message };
      const receivers = await publisher.publish(channel, JSON.stringify(envelope));
      const entry = this.waiting.get(id);
      if (entry) {
        // Confirmations may have arrived before PUBLISH answered.
        entry.expected = receivers;
        if (entry.acks >= receivers) entry.done();
      }
      await confirmed;
    } catch (err) {
      this.waiting.get(id)?.done();
      this.logger.warn(`eviction broadcast on ${channel} failed: ${(err as Error).message}`);
    }
  }

  private listen() {
    const subscriber = this.redis.subscriber();
    if (!subscriber || this.listening) return subscriber;
    this.listening = true;
    subscriber.subscribe(ACKS).catch((err: Error) => this.logger.warn(err.message));
    subscriber.on('message', (channel: string, text: string) => {
      try {
        if (channel === ACKS) return this.acknowledged(JSON.parse(text) as { id: string });
        const handle = this.handlers.get(channel);
        if (!handle) return;
        const envelope = JSON.parse(text) as Envelope;
        if (envelope.origin !== this.instanceId) handle(envelope.message);
        // Every receiver confirms, the publisher too, so it can count to PUBLISH's answer.
        this.redis.command
          ?.publish(ACKS, JSON.stringify({ id: envelope.id }))
          .catch(() => undefined);
      } catch {
        this.logger.warn(`ignored a malformed message on ${channel}`);
      }
    });
    return subscriber;
  }

  private acknowledged({ id }: { id: string }): void {
    const entry = this.waiting.get(id);
    if (!entry) return;
    entry.acks++;
    if (entry.expected !== null && entry.acks >= entry.expected) entry.done();
  }
}
