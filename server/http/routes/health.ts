/** `GET /health`: is the server up and its store reachable. Never needs a token. */
import { sql } from 'kysely';
import { z } from 'zod';
import type { App, ServerContext } from '../server-context.ts';

export function healthRoutes(app: App, { rt }: ServerContext): void {
  app.get('/health', {
    schema: {
      summary: 'Liveness and store reachability (no token needed)',
      security: [],
      response: { 200: z.object({ status: z.literal('ok'), store: z.string() }) },
    },
  }, async () => {
    await sql`select 1`.execute(rt.store.db);
    return { status: 'ok' as const, store: rt.store.dialect };
  });
}
