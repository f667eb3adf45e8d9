import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AddedContactMethod, ContactMethodInfo, ContactMethodType, NotificationRuleInfo } from '../../client/index.js';
import { CONTACT_METHOD_TYPES } from '../../domain/paging/contacts.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { mapFields } from '../fields.js';
import { cleanLine, formatTable, truncate } from '../format.js';

/** `--rule ID=MINUTES`, repeatable: after MINUTES minutes, page through the method ID. */
function collectRule(value: string, previous: { contactMethod: string; delayMinutes: number }[] = []) {
  const m = /^(.+)=(\d{1,4})$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected METHOD-ID=MINUTES, such as abc123=5');
  return [...previous, { contactMethod: m[1]!, delayMinutes: Number(m[2]) }];
}

const state = (m: ContactMethodInfo) =>
  m.verified ? 'verified' : m.pending ? `pending (${m.pending.attemptsLeft} tries, until ${m.pending.expiresAt})` : 'unverified';

const sent = (person: string, m: AddedContactMethod) =>
  m.verification.outcome === 'sent'
    ? `A code was sent; enter it with: firebreak contact verify ${person} ${m.id} CODE`
    : `The code could not be sent (${m.verification.outcome}: ${cleanLine(m.verification.error ?? '')}); fix it, then: firebreak contact resend ${person} ${m.id}`;

const rulesTable = (items: readonly NotificationRuleInfo[]) =>
  items.length === 0
    ? 'No notification rules.'
    : formatTable(
        ['AFTER', 'METHOD', 'TYPE', 'LABEL', 'DESTINATION'],
        items.map((r) => [`${r.delayMinutes} min`, r.contactMethod.id, r.contactMethod.type, truncate(r.contactMethod.label, 40), r.contactMethod.destination]),
      );

/** `contact add|ls|verify|resend|rm|rules`: how paging reaches a person, each method verified first. */
export function registerContactCommands(program: Command, io: CliIo, runState: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, runState, cmd);
  const contact = program.command('contact').description("people's contact methods (verified by a code) and notification rules, for paging");

  mapFields(contact.command('add'), {
    'params.person': '<person>',
    'body.type': '--type',
    'body.label': '--label',
    'body.url': '--url',
    'body.address': '--address',
    'body.token': '--token',
    'body.to': '--to',
    'body.secret': '--secret',
  })
    .description('add a contact method and send it a verification code (admin, or the person signed in)')
    .argument('<person>', 'a catalog person (team member, User, schedule member) or a Firebreak username')
    .addOption(new Option('--type <type>', 'how to reach them').choices(CONTACT_METHOD_TYPES).makeOptionMandatory())
    .option('--label <text>', 'what to call it (default: the type)')
    .option('--url <url>', 'ntfy topic URL, Slack incoming webhook URL, webhook URL, or the SMS/voice gateway URL')
    .option('--address <mail>', 'the mail address (email)')
    .option('--token <token>', 'bearer token (ntfy, sms, voice)')
    .option('--to <number>', 'the phone number in E.164 form, such as +4915123456789 (sms, voice)')
    .option('--secret <whsec>', 'the Standard Webhooks signing secret (webhook; generated when left out)')
    .action(async (person: string, o: Record<string, string | undefined>, cmd: Command) => {
      const c = ctx(cmd);
      const input = Object.fromEntries(
        (['label', 'url', 'address', 'token', 'to', 'secret'] as const).flatMap((k) => (o[k] === undefined ? [] : [[k, o[k]]])),
      );
      const added = await c.client.addContactMethod(person, { type: o.type as ContactMethodType, ...input });
      c.out(added, () =>
        [
          `Added ${added.type} method ${cleanLine(added.id)} (${cleanLine(added.destination)}) for ${cleanLine(person)}.`,
          sent(person, added),
          ...(added.secret ? [`Signing secret (shown once): ${added.secret}`] : []),
        ].join('\n'),
      );
    });

  contact
    .command('ls')
    .description("a person's contact methods, masked")
    .argument('<person>', 'the person')
    .action(async (person: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listContactMethods(person);
      c.out(list, () =>
        list.items.length === 0
          ? `${cleanLine(person)} has no contact methods.`
          : formatTable(
              ['ID', 'TYPE', 'LABEL', 'DESTINATION', 'STATE'],
              list.items.map((m) => [m.id, m.type, truncate(m.label, 40), m.destination, state(m)]),
            ),
      );
    });

  mapFields(contact.command('verify'), { 'body.code': '<code>' })
    .description('enter the code a contact method was sent')
    .argument('<person>', 'the person')
    .argument('<id>', 'the method (see contact ls)')
    .argument('<code>', 'the 6 digits sent')
    .action(async (person: string, id: string, code: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const m = await c.client.verifyContactMethod(person, id, code);
      c.out(m, () => `Verified ${m.type} method ${cleanLine(m.id)} (${cleanLine(m.destination)}): paging may use it.`);
    });

  contact
    .command('resend')
    .description('send a contact method a new code (the old one stops working)')
    .argument('<person>', 'the person')
    .argument('<id>', 'the method')
    .action(async (person: string, id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const m = await c.client.resendContactVerification(person, id);
      c.out(m, () => sent(person, m));
    });

  contact
    .command('rm')
    .description('delete a contact method and the rules that name it')
    .argument('<person>', 'the person')
    .argument('<id>', 'the method')
    .action(async (person: string, id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      await c.client.deleteContactMethod(person, id);
      c.out({ deleted: id }, () => `Deleted contact method ${cleanLine(id)} of ${cleanLine(person)}.`);
    });

  mapFields(contact.command('rules'), { 'body.rules': '--rule' })
    .description("show a person's notification rules, or replace them with --rule (or --clear)")
    .argument('<person>', 'the person')
    .option('--rule <id=minutes>', 'page through verified method ID after MINUTES (0–1440); repeatable, at most 10', collectRule)
    .option('--clear', 'remove every rule')
    .action(async (person: string, o: { rule?: { contactMethod: string; delayMinutes: number }[]; clear?: boolean }, cmd: Command) => {
      const c = ctx(cmd);
      if (o.rule !== undefined && o.clear) throw new UsageError('give --rule or --clear, not both');
      const list =
        o.rule !== undefined || o.clear
          ? await c.client.setNotificationRules(person, o.rule ?? [])
          : await c.client.listNotificationRules(person);
      c.out(list, () => rulesTable(list.items));
    });
}
