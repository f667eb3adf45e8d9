import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { EgressRefusedError } from '../domain/errors.js';
import type { Egress, OutboundRequest, OutboundResponse } from '../service/ports.js';
import { classifyAddress, isAllowed, normalizeHost } from './classify.js';

export { classifyAddress, isAllowed, normalizeHost } from './classify.js';

/** One resolved address of a name, as `dns.lookup(name, { all: true })` answers it. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to its addresses; the system resolver unless a test injects its own. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export interface EgressOptions {
  /** Hosts (names or addresses, as written in the URL) that may resolve to any address: FIREBREAK_EGRESS_ALLOW. */
  allow: readonly string[];
  /** The DNS lookup; defaults to the system resolver (`dns.lookup`, all addresses). */
  resolver?: Resolver;
}

/** At most this much of a response body is read; the excerpt is its first 500 characters. */
const MAX_READ = 64 * 1024;
const EXCERPT = 500;

const HINT = '(allow with FIREBREAK_EGRESS_ALLOW)';

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The egress guard: every outbound HTTP call and every SMTP connection goes through it. It resolves the
 * host once, refuses any address that is not public unicast (unless the host is allowed), connects to the
 * very address it checked (the socket's lookup answers it, so a second DNS answer cannot rebind the call;
 * TLS SNI and the Host header keep the name), follows no redirect and gives up after `timeoutMs`.
 */
export function createEgress(opts: EgressOptions): Egress {
  const resolver = opts.resolver ?? systemResolver;

  async function check(host: string): Promise<ResolvedAddress> {
    const name = normalizeHost(host);
    // Refusals name the host as written (an IPv6 literal without brackets), not its normalized form.
    const shown = (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
    const allowed = isAllowed(name, opts.allow);
    const literal = isIP(name);
    let addresses: ResolvedAddress[];
    if (literal !== 0) {
      addresses = [{ address: name, family: literal }];
    } else {
      try {
        addresses = await resolver(name);
      } catch (err) {
        throw new Error(`cannot resolve ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      if (addresses.length === 0) throw new Error(`cannot resolve ${name}: no address`);
    }
    if (!allowed) {
      // Every answer must be public: a name with one private address among public ones is refused.
      for (const a of addresses) {
        const c = classifyAddress(a.address);
        if (c.refusal !== null) throw new EgressRefusedError(shown, c.address, `${c.refusal} ${HINT}`);
      }
    }
    const first = addresses[0]!;
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  return {
    async resolve(host) {
      return (await check(host)).address;
    },

    async send(req: OutboundRequest): Promise<OutboundResponse> {
      const url = new URL(req.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new EgressRefusedError(req.url, null, `only http and https are sent, not ${url.protocol}`);
      }
      if (url.username || url.password) throw new EgressRefusedError(url.host, null, 'credentials in the URL are not sent');
      const pinned = await check(url.hostname);
      // The socket connects to the checked address whatever it is asked to look up (no DNS rebinding).
      const lookup: LookupFunction = (_host, options, callback) => {
        if ((options as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
        } else {
          callback(null, pinned.address, pinned.family);
        }
      };
      const client = url.protocol === 'https:' ? https : http;
      const hostname = normalizeHost(url.hostname);
      return new Promise<OutboundResponse>((resolve, reject) => {
        let settled = false;
        const done = (err: Error | null, res?: OutboundResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(res!);
        };
        const request = client.request(
          {
            protocol: url.protocol,
            hostname,
            port: url.port || undefined,
            path: `${url.pathname}${url.search}`,
            method: req.method,
            headers: {
              ...req.headers,
              ...(req.body !== undefined && { 'content-length': String(Buffer.byteLength(req.body)) }),
            },
            lookup,
            agent: false,
            ...(url.protocol === 'https:' && isIP(hostname) === 0 && { servername: hostname }),
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              if (size < MAX_READ) chunks.push(chunk);
              size += chunk.length;
              if (size >= MAX_READ) {
                res.destroy();
                finish();
              }
            });
            const finish = () =>
              done(null, {
                status: res.statusCode ?? 0,
                excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT),
              });
            res.on('end', finish);
            res.on('error', (err) => done(err));
          },
        );
        const timer = setTimeout(() => {
          const err = new Error(`timed out after ${req.timeoutMs} ms`);
          request.destroy(err);
          done(err);
        }, req.timeoutMs);
        request.on('error', (err) => done(err));
        request.end(req.body);
      });
    },
  };
}
