import type { Egress } from './ports.js';

/** What a phone message is: a text (`sms`) or a call that reads `body` out (`voice`). */
export type PhoneChannel = 'sms' | 'voice';

/** Where one contact method's phone messages go: the gateway's URL, its optional bearer token, the number. */
export interface PhoneConfig {
  url: string;
  token: string | null;
  to: string;
}

export interface PhoneMessage {
  channel: PhoneChannel;
  body: string;
}

/** Sends phone messages; throws on failure, with a message that never holds the URL's path or the token. */
export interface PhoneProvider {
  readonly name: string;
  send(config: PhoneConfig, message: PhoneMessage): Promise<void>;
}

/**
 * The generic HTTP gateway: `POST <url>` with JSON `{to, body}`, `Authorization: Bearer <token>` when a
 * token is set; any 2xx is sent. The channel is the gateway's own business (one URL per channel).
 */
export function httpGateway(egress: Pick<Egress, 'send'>, timeoutMs = 10_000): PhoneProvider {
  return {
    name: 'http-gateway',
    async send(config, message) {
      const res = await egress.send({
        url: config.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(config.token !== null && { authorization: `Bearer ${config.token}` }) },
        body: JSON.stringify({ to: config.to, body: message.body }),
        timeoutMs,
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`the gateway answered HTTP ${res.status}`);
    },
  };
}
