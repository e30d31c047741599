/**
 * docs/openapi.yaml: an operation per route of openapi-routes.ts, with bodies and queries from the
 * shared zod schemas the routes parse with and answers from shared/contract.ts's RestResponses,
 * which the routers `satisfies`; the components they refer to come from openapi-components.ts.
 */
import { HTTP_STATUS } from '../../shared/errors';
import { at, Definitions, inputSchema, wireContractSchema, type JsonSchema } from './json-schema';
import { SCHEMAS, SECURITY, sharedComponents } from './openapi-components';
import { ROUTES, type Route } from './openapi-routes';

export interface OpenApiInput {
  version: string;
  wire?: ReturnType<typeof wireContractSchema>;
}

export function openApiDocument({ version, wire = wireContractSchema() }: OpenApiInput): object {
  const defs = new Definitions(wire.definitions, SCHEMAS);
  const paths: Record<string, Record<string, object>> = {};
  // The error responses refer to ErrorBody: a component like the DTOs.
  defs.resolve(at(defs, wire.root, 'errorBody'));
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(route, defs, wire.root);
  }

  return {
    openapi: '3.1.0',
    info: { title: 'Quad REST API', version, description: INFO },
    servers: [{ url: '/', description: 'The node that serves this document' }],
    tags: [
      { name: 'auth', description: 'Accounts and tokens' },
      { name: 'boards', description: 'Reads for apps that hold no socket' },
      { name: 'timetables', description: 'The course catalog' },
      { name: 'operations', description: 'Health, readiness, metrics' },
      { name: 'documents', description: 'The API documents' },
    ],
    paths,
    // After the operations: resolving their schemas is what collects the components.
    components: { schemas: defs.components(), ...sharedComponents() },
  };
}

/** The route's operation; the components its schemas name are collected in `defs`. */
function operation(route: Route, defs: Definitions, root: JsonSchema): object {
  const responses: Record<string, object> = {};
  const { ok } = route;
  responses[String(ok.status)] = {
    description: ok.description,
    headers: {
      'X-Request-Id': { $ref: '#/components/headers/RequestId' },
      ...(ok.setsCookies ? { 'Set-Cookie': { $ref: '#/components/headers/AuthCookies' } } : {}),
    },
    ...(ok.json ? { content: json(defs.resolve(at(defs, root, 'rest', ok.json)) as JsonSchema) } : {}),
    ...(ok.text ? { content: { [ok.text]: { schema: { type: 'string' } } } } : {}),
  };
  for (const code of route.errors) {
    const status = String(HTTP_STATUS[code]);
    responses[status] = { $ref: `#/components/responses/${code}` };
  }
  if (route.body) {
    responses['413'] = { $ref: '#/components/responses/TooLarge' };
    responses['415'] = { $ref: '#/components/responses/Unsupported' };
  }
  if (route.operationId === 'ready')
    responses['503'] = {
      description: 'Not ready: draining (shutting down) or the database does not answer',
      content: json(defs.resolve(at(defs, root, 'notReady')) as JsonSchema),
    };
  if (route.operationId === 'metrics')
    responses['401'] = {
      description: 'METRICS_TOKEN is set and the request does not carry it',
      content: { 'text/plain': { schema: { type: 'string' } } },
    };
  responses.default = { $ref: '#/components/responses/Unexpected' };

  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    security: SECURITY[route.auth],
    ...(route.query ? { parameters: parameters(route) } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: route.auth !== 'refresh',
            content: json(inputSchema(route.body, 'draft-2020-12')),
          },
        }
      : {}),
    responses,
  };
}

function json(schema: JsonSchema) {
  return { 'application/json': { schema } };
}

/** Path and query parameters from the schema the route parses them with. */
function parameters(route: Route): object[] {
  const schema = inputSchema(route.query!, 'draft-2020-12');
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const fromPath = new Map(Object.entries(route.params ?? {}).map(([param, prop]) => [prop, param]));
  const out: object[] = [];
  for (const [prop, param] of fromPath) {
    if (!props[prop]) throw new Error(`${route.path}: the schema has no ${prop}`);
    out.push({ name: param, in: 'path', required: true, schema: props[prop] });
  }
  for (const [name, s] of Object.entries(props)) {
    if (fromPath.has(name)) continue;
    out.push({ name, in: 'query', required: required.has(name), schema: s });
  }
  return out;
}

const INFO = `Quad's REST API, generated from shared/ by \`npm run docs:api\` (do not edit by hand): logging in, and reads for apps that hold no socket. Everything else is Socket.IO: docs/asyncapi.yaml; docs/protocol.md is the guide.

Errors are always \`{ "error": { "code", "message", "fields"?, "reason"?, "retryAfter"? } }\` (ErrorBody) with the status of their code. Every response carries \`X-Request-Id\`.`;
