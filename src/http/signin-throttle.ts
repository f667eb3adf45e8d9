import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FirebreakError, isFirebreakError } from '../domain/errors.js';
import { isUsername } from '../service/auth.js';
import type { AppDeps } from './context.js';
import type { Metrics } from './metrics.js';

/** Keys kept at most: an address or username spray cannot grow memory without bound. */
const MAX_KEYS = 10_000;
const IPV6_SUBNET = 64;

type By = 'username' | 'address';

interface Window {
  count: number;
  start: number;
}

/**
 * Fixed windows per key on the app's clock, in this process's memory. Every window lasts the same, and
 * a key's new window is inserted last, so the Map's order is expiry order: pruning reads from the front.
 */
class Windows {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  incr(key: string, ms: number): { current: number; ttl: number } {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.start + ms <= now) {
      this.windows.delete(key);
      this.prune(now, ms);
      w = { count: 0, start: now };
      this.windows.set(key, w);
    }
    w.count++;
    return { current: w.count, ttl: w.start + ms - now };
  }

  refund(key: string): void {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count--;
  }

  private prune(now: number, ms: number): void {
    for (const [key, w] of this.windows) {
      if (w.start + ms > now && this.windows.size < MAX_KEYS) return;
      this.windows.delete(key);
    }
  }
}

/** @fastify/rate-limit's store interface over Windows; both limiters share it, their keys prefixed. */
const storeOn = (windows: Windows) =>
  class {
    incr(key: string, cb: (err: Error | null, res: { current: number; ttl: number }) => void, timeWindow: number) {
      cb(null, windows.incr(key, timeWindow));
    }
    child() {
      return this;
    }
  };

export interface SignInThrottle {
  /**
   * Runs one sign-in: 429 when its username or address has no attempts left. The attempt is counted
   * before the password is checked, so parallel guesses count too, and given back unless it failed
   * with 401: only wrong passwords (and unknown usernames) use the limits up.
   */
  attempt<T>(req: FastifyRequest, username: string, signIn: () => Promise<T>): Promise<T>;
}

/** Registers the limiter in the session routes' plugin and answers its one entry point. */
export async function signInThrottle(app: FastifyInstance, deps: AppDeps, metrics: Metrics): Promise<SignInThrottle> {
  const { usernameFailures, addressFailures, windowMinutes } = deps.config.signIn;
  const windows = new Windows(() => Date.parse(deps.clock.now()));
  await app.register(rateLimit, { global: false, store: storeOn(windows) });
  const timeWindow = windowMinutes * 60_000;
  const addressOf = (req: FastifyRequest) => normalizeIP(req.ip, IPV6_SUBNET);
  const limits: { by: By; check: ReturnType<FastifyInstance['createRateLimit']> }[] = [];
  if (addressFailures > 0) {
    const keyGenerator = (req: FastifyRequest) => `address:${addressOf(req)}`;
    limits.push({ by: 'address', check: app.createRateLimit({ max: addressFailures, timeWindow, keyGenerator }) });
  }
  if (usernameFailures > 0) {
    const keyGenerator = (req: FastifyRequest) => `username:${(req.body as { username: string }).username}`;
    limits.push({ by: 'username', check: app.createRateLimit({ max: usernameFailures, timeWindow, keyGenerator }) });
  }
  for (const { by } of limits) metrics.signInThrottled.inc({ by }, 0);

  const refuse = (by: By, ttl: number) => {
    metrics.signInThrottled.inc({ by });
    const seconds = Math.max(1, Math.ceil(ttl / 1000));
    const minutes = Math.ceil(seconds / 60);
    const whose = by === 'username' ? 'for this username' : 'from this address';
    return new FirebreakError(
      'rate_limited',
      `Too many failed sign-ins ${whose}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retryAfterSeconds: seconds },
    );
  };

  const logLimitReached = async (req: FastifyRequest, by: By, username: string) => {
    const known = await isUsername(deps, username).catch(() => false);
    req.log.warn(
      { by, address: addressOf(req), username: known ? username : '(no such user)', failures: by === 'username' ? usernameFailures : addressFailures, windowMinutes },
      'sign-in limit reached: further attempts are refused until the window ends',
    );
  };

  return {
    attempt: async (req, username, signIn) => {
      const counted: { by: By; key: string; reached: boolean }[] = [];
      const giveBack = () => counted.forEach((c) => windows.refund(c.key));
      for (const { by, check } of limits) {
        const r = await check(req);
        if (r.isAllowed) continue;
        counted.push({ by, key: r.key, reached: r.remaining === 0 });
        if (r.isExceeded) {
          giveBack();
          throw refuse(by, r.ttl);
        }
      }
      try {
        const result = await signIn();
        giveBack();
        return result;
      } catch (err) {
        if (!isFirebreakError(err, 'unauthorized')) {
          giveBack();
        } else {
          for (const c of counted) if (c.reached) await logLimitReached(req, c.by, username);
        }
        throw err;
      }
    },
  };
}
