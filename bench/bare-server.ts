/**
 * The ceiling of the HTTP path: a restify server with the webhook route alone, which reads the
 * body and answers 200 {}. Run as its own process by bench/ingest.ts (PORT, HOST from the env).
 */
import restify from 'restify';

const port = Number(process.env['PORT'] ?? 0);
const host = process.env['HOST'] ?? '127.0.0.1';

const server = restify.createServer({ name: 'bare', handleUncaughtExceptions: false });

server.post('/webhooks/:provider', async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  Buffer.concat(chunks);
  res.send(200, {});
});

server.listen(port, host);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
