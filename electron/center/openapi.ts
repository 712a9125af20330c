/**
 * The center's OpenAPI 3.1 document, generated from the same TypeBox schemas the server validates
 * with (schemas.ts ROUTES). Served at /openapi.json and checked in as electron/center/openapi.json;
 * a unit test keeps the two equal (`npm run center -- --write-openapi` regenerates the file).
 * OpenAPI 3.1 takes JSON Schema 2020-12 as is, so the schemas go in unchanged.
 */
import { ROUTES, type Auth } from './schemas';

const SECURITY: Record<Exclude<Auth, 'none'>, string> = { kiosk: 'kioskToken', app: 'appToken', admin: 'adminToken' };

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Malformed or invalid request (reason in `message`)',
  401: 'Missing or wrong bearer token',
  404: 'Not found',
  409: 'Refused: see `reason`',
  413: 'Body too large',
  415: 'Not application/json',
};

/** A plain JSON copy (TypeBox schemas carry non-enumerable markers we do not want to depend on). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of Object.entries(ROUTES)) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const s = r.schema as { body?: unknown; params?: unknown; querystring?: unknown; response: Record<number, unknown> };
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', s.params],
      ['query', s.querystring],
    ] as const) {
      const obj = schema as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [pname, pschema] of Object.entries(obj?.properties ?? {})) {
        parameters.push({ name: pname, in: where, required: where === 'path' || (obj?.required ?? []).includes(pname), schema: plain(pschema) });
      }
    }
    const responses = Object.fromEntries(
      Object.entries(s.response).map(([code, schema]) => [
        code,
        { description: STATUS_TEXT[Number(code)] ?? 'Response', content: { 'application/json': { schema: plain(schema) } } },
      ]),
    );
    paths[path] = {
      ...paths[path],
      [r.method.toLowerCase()]: {
        operationId: name,
        summary: r.summary,
        ...(r.auth !== 'none' && { security: [{ [SECURITY[r.auth]]: [] }] }),
        ...(parameters.length > 0 && { parameters }),
        ...(s.body !== undefined && { requestBody: { required: true, content: { 'application/json': { schema: plain(s.body) } } } }),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'kiosk-sim reservation center',
      version: '1',
      description:
        'The simulator’s stand-in for the JPKI reset reservation center (not J-LIS’s). Times are epoch ms of the center’s simulated clock. See docs/reset-protocol.md for the reset protocol.',
    },
    servers: [{ url: 'http://127.0.0.1:5178' }],
    components: {
      securitySchemes: {
        kioskToken: { type: 'http', scheme: 'bearer', description: 'one token per kiosk' },
        appToken: { type: 'http', scheme: 'bearer', description: 'the smartphone-app simulator' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'trainers' },
      },
    },
    paths,
  };
}
