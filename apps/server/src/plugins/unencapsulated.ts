import type { FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin as applying to the whole server rather than to its own encapsulated context (what
 * the `fastify-plugin` package does, without the dependency): error handler, rate limit and OpenAPI
 * must see every route, and every route plugin registered after them.
 */
export function unencapsulated<O extends Record<string, unknown>>(
  plugin: FastifyPluginAsync<O>,
): FastifyPluginAsync<O> {
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
