// The floor under Firebreak's Alertmanager webhook: the same Fastify, the same raw-body parser and
// the same JSON.parse, and nothing else (no auth, no validation, nothing stored). Started as its own
// process by bench/alertmanager.ts; prints its URL.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.removeContentTypeParser('application/json');
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/api/v1/integrations/alertmanager', async (req) => {
  const body = JSON.parse((req.body as Buffer).toString('utf8')) as { alerts: unknown[] };
  return { status: 'success', alerts: body.alerts.length };
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
