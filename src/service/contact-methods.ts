import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { FirebreakError, conflict, forbidden, notFound, validationError, type FieldError } from '../domain/errors.js';
import {
  CONTACT_LIMITS,
  catalogPeople,
  pagingPlan as planOf,
  reachableMethods,
  type AddedContactMethod,
  type ContactMethodInput,
  type ContactMethodView,
  type PagingStep,
  type RuleView,
  type VerificationSent,
} from '../domain/paging/contacts.js';
import { getCatalog } from './catalog.js';
import { sendToContact, type OpenContactMethod, type SendOptions } from './contact-send.js';
import type { ServiceDeps } from './deps.js';
import { checkHttpUrl, seal, targetKey, unseal } from './notification-targets.js';
import { outboxOptions } from './outbox.js';
import { CONTACT_METHOD_TYPES, type ContactCodeSend, type ContactMethodRecord, type ContactMethodType, type NotificationRuleRecord } from './ports.js';

const EMAIL = /^[^\s@<>",;]{1,64}@[^\s@<>",;]{1,255}$/;
const PHONE = /^\+[1-9][0-9]{6,14}$/;
const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;
const TOKEN_TYPES = new Set<ContactMethodType>(['ntfy', 'sms', 'voice']);

/** Where contact methods are sent from: the key that seals their configuration, SMTP, the SMS/voice provider. */
export interface ContactOptions extends SendOptions {
  secretKey?: Buffer;
}

type Deps = ServiceDeps & { contact?: ContactOptions };

export interface RuleInput {
  contactMethod: string;
  delayMinutes: number;
}

/** A six-digit code, uniformly drawn (`random` is node:crypto's randomInt unless a test gives its own). */
export function newVerificationCode(random: (max: number) => number = (max) => randomInt(max)): string {
  return String(random(1_000_000)).padStart(6, '0');
}

/** The stored form of a code: SHA-256 over the method's id and the code, so equal codes of two methods differ. */
export const hashVerificationCode = (id: string, code: string): string => createHash('sha256').update(`${id}\n${code}`).digest('hex');

function codeMatches(id: string, code: string, stored: string): boolean {
  const a = Buffer.from(hashVerificationCode(id, code), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** `a***@example.com`; `***4567`. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}
export const maskNumber = (to: string): string => `***${to.slice(-4)}`;

/** Whether the caller may manage `person`'s methods: an admin, or the signed-in user of that name. */
export function assertMayManage(caller: { kind: 'token' | 'user'; name: string; role: string }, person: string): void {
  if (caller.role === 'admin' || (caller.kind === 'user' && caller.name === person)) return;
  throw forbidden(`Only an admin or ${person} may manage the contact methods of ${person}.`);
}

/** The person must be one the catalog knows (a User, a team member, a schedule member) or a Firebreak user. */
export async function assertKnownPerson(deps: Pick<ServiceDeps, 'store'>, person: string): Promise<void> {
  if (catalogPeople((await getCatalog(deps)).catalog).has(person)) return;
  if (await deps.store.findUserByUsername(person)) return;
  throw notFound(
    `No person is named ${JSON.stringify(person)}: not a User, team member or schedule member of the catalog, nor a Firebreak user.`,
  );
}

interface Config {
  url?: string;
  token?: string;
  address?: string;
  to?: string;
  secret?: string;
}

function checkInput(input: ContactMethodInput): { type: ContactMethodType; label: string; config: Config; destination: string } {
  const errors: FieldError[] = [];
  const type = input.type as ContactMethodType;
  const known = (CONTACT_METHOD_TYPES as readonly string[]).includes(type);
  if (!known) errors.push({ path: 'body.type', message: `expected one of ${CONTACT_METHOD_TYPES.join(', ')}` });
  const config: Config = {};
  const label = (input.label ?? type).trim();
  if (input.label !== undefined && (label === '' || label.length > CONTACT_LIMITS.label || /[\p{Cc}]/u.test(label))) {
    errors.push({ path: 'body.label', message: `must be 1 to ${CONTACT_LIMITS.label} characters on one line` });
  }
  if (known && type === 'email') {
    if (input.url !== undefined) errors.push({ path: 'body.url', message: 'an email method takes an address, not a url' });
    if (input.address === undefined || !EMAIL.test(input.address)) errors.push({ path: 'body.address', message: 'must be a mail address' });
    else config.address = input.address;
  } else if (known) {
    if (input.address !== undefined) errors.push({ path: 'body.address', message: 'only email methods take an address' });
    const url = checkHttpUrl(input.url, errors);
    if (url !== null) config.url = url;
  }
  const phone = type === 'sms' || type === 'voice';
  if (known && phone) {
    if (input.to === undefined || !PHONE.test(input.to)) errors.push({ path: 'body.to', message: 'must be a phone number in E.164 form, such as +4915123456789' });
    else config.to = input.to;
  } else if (known && input.to !== undefined) errors.push({ path: 'body.to', message: 'only sms and voice methods take a number' });
  if (input.token !== undefined) {
    if (known && !TOKEN_TYPES.has(type)) errors.push({ path: 'body.token', message: 'only ntfy, sms and voice methods take a token' });
    else if (input.token.length < 1 || input.token.length > CONTACT_LIMITS.token || /\s/.test(input.token)) {
      errors.push({ path: 'body.token', message: `must be 1 to ${CONTACT_LIMITS.token} characters without spaces` });
    } else config.token = input.token;
  }
  if (input.secret !== undefined) {
    if (known && type !== 'webhook') errors.push({ path: 'body.secret', message: 'only webhook methods take a secret' });
    else if (!SECRET.test(input.secret) || Buffer.from(input.secret.slice(6), 'base64').length < 24) {
      errors.push({ path: 'body.secret', message: 'must be whsec_ followed by 24 to 64 base64 bytes; or omit it to have one generated' });
    } else config.secret = input.secret;
  }
  if (errors.length > 0) throw validationError(errors);
  if (type === 'webhook') config.secret ??= `whsec_${randomBytes(32).toString('base64')}`;
  // Every type but email has a url by now; a phone's number says more than its gateway's host.
  const destination = config.address ? maskAddress(config.address) : config.to ? maskNumber(config.to) : config.url ? new URL(config.url).host : '';
  return { type, label, config, destination };
}

export const viewContactMethod = (m: ContactMethodRecord): ContactMethodView => ({
  id: m.id,
  person: m.person,
  type: m.type,
  label: m.label,
  destination: m.destination,
  verified: m.verifiedAt !== null,
  verifiedAt: m.verifiedAt,
  pending:
    m.verifiedAt === null && m.verifyExpiresAt !== null
      ? { expiresAt: m.verifyExpiresAt, attemptsLeft: Math.max(0, CONTACT_LIMITS.verifyAttempts - m.verifyAttempts) }
      : null,
  createdAt: m.createdAt,
});

async function key(deps: Deps): Promise<Buffer> {
  return targetKey(deps.store, deps.contact?.secretKey);
}

/** The method with its configuration decrypted. */
export function openContactMethod(k: Buffer, m: ContactMethodRecord): OpenContactMethod {
  const c = JSON.parse(unseal(k, m.configEnc)) as Config;
  return {
    id: m.id,
    person: m.person,
    type: m.type,
    label: m.label,
    url: c.url ?? null,
    token: c.token ?? null,
    address: c.address ?? null,
    to: c.to ?? null,
    secret: c.secret ?? null,
  };
}

/** A code about to go to `person`, counted against their sends of the last hour. */
const codeSend = (person: string, at: string): ContactCodeSend => ({ person, at, limit: CONTACT_LIMITS.sendsPerHour, windowSeconds: 3600 });

/** The answer when `person`'s codes of the last hour are used up. */
const tooManySends = (person: string, wait: number) =>
  new FirebreakError(
    'rate_limited',
    `${CONTACT_LIMITS.sendsPerHour} verification codes were sent to the methods of ${person} in the last hour; ask again in ${wait} s.`,
    { retryAfterSeconds: wait },
  );

async function sendCode(deps: Deps, k: Buffer, m: ContactMethodRecord, code: string, expiresAt: string): Promise<VerificationSent> {
  // Not the label: it is the caller's free text, and the message may go to anyone's address.
  const text =
    `Your Firebreak verification code is ${code}. Enter it to let Firebreak page ${m.person} here. ` +
    `It is valid for ${CONTACT_LIMITS.codeMinutes} minutes. If you did not ask for it, ignore this message.`;
  const sent = await sendToContact(
    deps,
    openContactMethod(k, m),
    {
      id: `verify_${m.id}_${Date.parse(expiresAt)}`,
      event: 'contact_method.verification',
      title: 'Firebreak verification code',
      text,
      data: { contactMethod: m.id, person: m.person, code, expiresAt },
    },
    deps.contact ?? {},
  );
  const log = sent.outcome === 'sent' ? deps.log.info.bind(deps.log) : deps.log.warn.bind(deps.log);
  log({ contactMethod: m.id, person: m.person, type: m.type, outcome: sent.outcome, error: sent.error }, 'verification code sent');
  return { ...sent, expiresAt };
}

/** Adds a contact method to a known person and sends it a verification code at once; answers how that went. */
export async function addContactMethod(deps: Deps, person: string, input: ContactMethodInput): Promise<AddedContactMethod> {
  await assertKnownPerson(deps, person);
  const { type, label, config, destination } = checkInput(input);
  if ((await deps.store.listContactMethods(person)).length >= CONTACT_LIMITS.methods) {
    throw validationError([{ path: 'body', message: `${person} already has ${CONTACT_LIMITS.methods} contact methods; delete one first` }]);
  }
  const k = await key(deps);
  const now = deps.clock.now();
  const id = deps.ids.next();
  const code = newVerificationCode();
  const record: ContactMethodRecord = {
    id,
    person,
    type,
    label,
    destination,
    configEnc: seal(k, JSON.stringify(config)),
    verifyCodeHash: hashVerificationCode(id, code),
    verifyExpiresAt: addMinutes(now, CONTACT_LIMITS.codeMinutes),
    verifyAttempts: 0,
    verifiedAt: null,
    createdAt: now,
  };
  const created = await deps.store.createContactMethod(record, codeSend(person, now));
  if (created !== 'ok') throw tooManySends(person, created.retryAfterSeconds);
  deps.log.info({ contactMethod: id, person, type }, 'contact method added');
  const verification = await sendCode(deps, k, record, code, record.verifyExpiresAt!);
  return { ...viewContactMethod(record), verification, ...(type === 'webhook' && { secret: config.secret }) };
}

async function methodOf(deps: Deps, person: string, id: string): Promise<ContactMethodRecord> {
  const m = await deps.store.findContactMethod(id);
  if (!m || m.person !== person) throw notFound(`${person} has no contact method ${id}.`);
  return m;
}

const codeError = (detail: string, message: string) => validationError([{ path: 'body.code', message }], detail);

const RACED = 'Another code was entered for this method at the same time; try again.';

/** One try of verifyContactMethod; `replaced` when a resend replaced the code it read before its write landed. */
async function tryVerify(deps: Deps, person: string, id: string, code: string): Promise<ContactMethodView | 'replaced'> {
  const m = await methodOf(deps, person, id);
  if (m.verifiedAt !== null) throw conflict('This contact method is already verified.');
  const now = deps.clock.now();
  if (m.verifyCodeHash === null || m.verifyExpiresAt === null || m.verifyAttempts >= CONTACT_LIMITS.verifyAttempts) {
    throw codeError('Too many wrong codes.', `${CONTACT_LIMITS.verifyAttempts} wrong codes were entered; resend to get a new code`);
  }
  if (m.verifyExpiresAt <= now) throw codeError('The code has expired.', `expired at ${m.verifyExpiresAt}; resend to get a new code`);
  const read = { verifyCodeHash: m.verifyCodeHash, verifyAttempts: m.verifyAttempts };
  const raced = async () => {
    if ((await methodOf(deps, person, id)).verifyCodeHash !== m.verifyCodeHash) return 'replaced' as const;
    throw conflict(RACED);
  };
  if (!codeMatches(id, code, m.verifyCodeHash)) {
    const attempts = m.verifyAttempts + 1;
    const update = { verifyCodeHash: m.verifyCodeHash, verifyExpiresAt: m.verifyExpiresAt, verifyAttempts: attempts, verifiedAt: null };
    if ((await deps.store.updateContactVerification(id, read, update)) !== 'ok') return raced();
    const left = CONTACT_LIMITS.verifyAttempts - attempts;
    throw codeError('The code does not match.', left > 0 ? `is not the one sent; ${left} ${left === 1 ? 'attempt' : 'attempts'} left` : 'is not the one sent; no attempts left: resend to get a new code');
  }
  const verified = { verifyCodeHash: null, verifyExpiresAt: null, verifyAttempts: 0, verifiedAt: now };
  if ((await deps.store.updateContactVerification(id, read, verified)) !== 'ok') return raced();
  deps.log.info({ contactMethod: id, person }, 'contact method verified');
  return viewContactMethod({ ...m, ...verified });
}

/**
 * Checks a code against the one sent: a match verifies the method; a wrong code uses one of its attempts.
 * When a resend replaces the code in between, the code entered is checked again, against the new one: the
 * replaced code fails as a wrong one.
 */
export async function verifyContactMethod(deps: Deps, person: string, id: string, code: string): Promise<ContactMethodView> {
  for (let tries = 0; tries < 2; tries++) {
    const done = await tryVerify(deps, person, id, code);
    if (done !== 'replaced') return done;
  }
  throw conflict(RACED);
}

/**
 * Sends a new code (the old one stops working, the attempts start over); at most one a minute, and at most
 * CONTACT_LIMITS.sendsPerHour a person (adds included). Of two at once, the one whose write lands first
 * sends; the other reads again and gets the one-a-minute answer.
 */
export async function resendVerification(deps: Deps, person: string, id: string): Promise<ContactMethodView & { verification: VerificationSent }> {
  for (let tries = 0; ; tries++) {
    const m = await methodOf(deps, person, id);
    if (m.verifiedAt !== null) throw conflict('This contact method is already verified.');
    const now = deps.clock.now();
    if (m.verifyExpiresAt !== null) {
      const sentAt = Date.parse(m.verifyExpiresAt) - CONTACT_LIMITS.codeMinutes * 60_000;
      const wait = Math.ceil((sentAt + CONTACT_LIMITS.resendSeconds * 1000 - Date.parse(now)) / 1000);
      if (wait > 0) {
        throw new FirebreakError('rate_limited', `A code was sent less than a minute ago; ask again in ${wait} s.`, { retryAfterSeconds: wait });
      }
    }
    const code = newVerificationCode();
    const update = { verifyCodeHash: hashVerificationCode(id, code), verifyExpiresAt: addMinutes(now, CONTACT_LIMITS.codeMinutes), verifyAttempts: 0, verifiedAt: null };
    const read = { verifyCodeHash: m.verifyCodeHash, verifyAttempts: m.verifyAttempts };
    const written = await deps.store.updateContactVerification(id, read, update, codeSend(person, now));
    if (written === 'raced') {
      if (tries < 1) continue;
      throw conflict(RACED);
    }
    if (written !== 'ok') throw tooManySends(person, written.retryAfterSeconds);
    const next = { ...m, ...update };
    const verification = await sendCode(deps, await key(deps), next, code, update.verifyExpiresAt);
    return { ...viewContactMethod(next), verification };
  }
}

/** A person's contact methods, oldest first, masked. */
export async function listContactMethods(deps: Deps, person: string): Promise<ContactMethodView[]> {
  return (await deps.store.listContactMethods(person)).map(viewContactMethod);
}

/** Deletes a method and every rule that names it. */
export async function deleteContactMethod(deps: Deps, person: string, id: string): Promise<void> {
  await methodOf(deps, person, id);
  if (!(await deps.store.deleteContactMethod(id))) throw notFound(`${person} has no contact method ${id}.`);
  deps.log.info({ contactMethod: id, person }, 'contact method deleted');
}

/** The rules with their methods; `methods` when the caller has them already. */
async function rulesView(deps: Deps, person: string, methods?: ReadonlyMap<string, ContactMethodRecord>): Promise<RuleView[]> {
  const [byId, rules] = await Promise.all([
    methods ?? deps.store.listContactMethods(person).then((ms) => new Map(ms.map((m) => [m.id, m]))),
    deps.store.listNotificationRules(person),
  ]);
  return rules.flatMap((r) => {
    const m = byId.get(r.contactMethodId);
    return m ? [{ delayMinutes: r.delayMinutes, contactMethod: viewContactMethod(m) }] : [];
  });
}

/** Replaces a person's rules; each must name a verified method of that person, 0–1440 minutes, at most 10. */
export async function setNotificationRules(deps: Deps, person: string, input: readonly RuleInput[]): Promise<RuleView[]> {
  await assertKnownPerson(deps, person);
  const errors: FieldError[] = [];
  if (input.length > CONTACT_LIMITS.rules) errors.push({ path: 'body.rules', message: `expected at most ${CONTACT_LIMITS.rules} rules` });
  const methods = new Map((await deps.store.listContactMethods(person)).map((m) => [m.id, m]));
  const seen = new Map<string, number>();
  input.forEach((r, i) => {
    const path = `body.rules[${i}]`;
    const m = methods.get(r.contactMethod);
    if (!m) errors.push({ path: `${path}.contactMethod`, message: `is not a contact method of ${person}` });
    else if (m.verifiedAt === null) errors.push({ path: `${path}.contactMethod`, message: 'is not verified yet; verify it before a rule may use it' });
    if (!Number.isInteger(r.delayMinutes) || r.delayMinutes < 0 || r.delayMinutes > CONTACT_LIMITS.maxDelayMinutes) {
      errors.push({ path: `${path}.delayMinutes`, message: `must be a whole number of minutes from 0 to ${CONTACT_LIMITS.maxDelayMinutes}` });
    }
    const k = `${r.contactMethod}\n${r.delayMinutes}`;
    const first = seen.get(k);
    if (first !== undefined) errors.push({ path, message: `repeats rules[${first}]` });
    else seen.set(k, i);
  });
  if (errors.length > 0) throw validationError(errors);
  const now = deps.clock.now();
  const records: NotificationRuleRecord[] = input.map((r) => ({
    id: deps.ids.next(),
    person,
    contactMethodId: r.contactMethod,
    delayMinutes: r.delayMinutes,
    createdAt: now,
  }));
  await deps.store.replaceNotificationRules(person, records);
  deps.log.info({ person, rules: records.length }, 'notification rules set');
  // Only this person's rules changed, not their methods: the methods read above still hold.
  return rulesView(deps, person, methods);
}

/** A person's rules by delay, with their methods. */
export async function listNotificationRules(deps: Deps, person: string): Promise<RuleView[]> {
  return rulesView(deps, person);
}

/** The methods paging may use for a person: the verified ones. */
export async function reachable(deps: Pick<ServiceDeps, 'store'>, person: string): Promise<ContactMethodView[]> {
  return reachableMethods(await deps.store.listContactMethods(person)).map(viewContactMethod);
}

/** What the pager will do for a person: the rules by delay, each with its verified method (see domain/paging/contacts.ts). */
export async function pagingPlan(deps: Pick<ServiceDeps, 'store'>, person: string): Promise<PagingStep<ContactMethodView>[]> {
  const [methods, rules] = await Promise.all([deps.store.listContactMethods(person), deps.store.listNotificationRules(person)]);
  return planOf(methods, rules).map((s) => ({ delayMinutes: s.delayMinutes, method: viewContactMethod(s.method) }));
}

/** The contact options from the configuration: the sealing key and the mail relay, read as the outbox reads them for targets. */
export function contactOptions(config: Parameters<typeof outboxOptions>[0]): ContactOptions {
  const { secretKey, smtp } = outboxOptions(config);
  return { ...(secretKey && { secretKey }), ...(smtp && { smtp }) };
}
