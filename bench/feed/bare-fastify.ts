// The baseline: fastify with nothing but one route returning a constant, on the port in APP_PORT.
// Same framework, runtime and loader as the reference app, so the ratio isolates what the app adds.
import Fastify from 'fastify';

const http = Fastify({ logger: false });
const constant = { items: [], next_cursor: null };
http.get('/api/posts', async () => constant);
http.get('/readyz', async () => ({ status: 'ready' }));
await http.listen({ host: '127.0.0.1', port: Number(process.env.APP_PORT ?? 0) });
process.on('SIGTERM', () => void http.close().then(() => process.exit(0)));
