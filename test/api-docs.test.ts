import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiagnosticSeverity, Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import type { RequestHandler, Router } from 'express';
import { load } from 'js-yaml';
import { COMMANDS, PUSHES } from '../shared/contract';
import { NAMESPACES, WRITE_COMMANDS } from '../shared/events';
import { apiDocuments, type ApiDocument } from '../server/contract/documents';
import { commandSchemas } from '../server/contract/commands';
import { apiRouters } from '../server/api-routes';
import { API_DOCS, apiDocsRouter } from '../server/core/api-docs';
import { startApp, type RunningApp } from './helpers/app';
import { http } from './helpers/clients';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string }>>;
}

const noop = () => Promise.resolve([]);
const sorted = (names: Iterable<string>) => [...names].sort();

/**
 * The routes the HTTP app mounts: each feature router's own routes (read from the routers, built
 * without their services, which only their handlers touch) under the prefix app.ts and
 * core/http.ts mount it at, and the routes core/http.ts declares itself.
 */
function appRoutes(): string[] {
  const auth: RequestHandler = (_req, _res, next) => next();
  const mounted: Array<[string, Router]> = [
    // Without services: only the routers' handlers touch them. With a development outbox, as in
    // development, so /api/dev/outbox is among them.
    ...apiRouters({ auth, allowedOrigins: [], mailer: { send: noop, outbox: noop } } as never).map(
      ([prefix, router]): [string, Router] => [`/api${prefix}`, router],
    ),
    ['/api', apiDocsRouter()],
  ];
  const routes = ['get /healthz', 'get /readyz', 'get /metrics'];
  for (const [prefix, router] of mounted)
    for (const layer of router.stack) {
      if (!layer.route) continue;
      // A router's own root (`/`) is its prefix: DELETE /api/account, not /api/account/.
      const path = (prefix + layer.route.path.replace(/:(\w+)/g, '{$1}')).replace(/(.)\/$/, '$1');
      for (const { method } of layer.route.stack) routes.push(`${method} ${path}`);
    }
  return sorted(new Set(routes));
}

describe('API documents (docs/asyncapi.yaml, docs/openapi.yaml)', () => {
  let s: RunningApp;
  let generated: ApiDocument[];
  const served: Record<'asyncapi' | 'openapi', string> = { asyncapi: '', openapi: '' };
  let asyncapi: AsyncAPIDocumentInterface;

  before(async function () {
    // Generation reads shared/ with the TypeScript compiler; parsing runs the AsyncAPI rule set.
    this.timeout(120_000);
    // In development (with a throwaway DATA_DIR for its outbox), where every route is mounted.
    s = await startApp({
      NODE_ENV: 'development',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'quad-docs-')),
    });
    generated = apiDocuments();
    for (const name of ['asyncapi', 'openapi'] as const) {
      const res = await fetch(s.url + API_DOCS[name].url);
      assert.equal(res.status, 200, `${API_DOCS[name].url}: ${res.status}`);
      served[name] = await res.text();
    }
    const { document, diagnostics } = await new Parser().parse(served.asyncapi);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    assert.deepEqual(
      errors.map((d) => `${d.code} ${d.message} at ${d.path.join('/')}`),
      [],
      'diagnostics of severity error',
    );
    assert.ok(document, 'the parser returned a document');
    asyncapi = document;
  });

  it('when the generator runs, then it produces exactly the committed documents (else: npm run docs:api)', () => {
    assert.deepEqual(
      generated.map((d) => d.name),
      ['docs/asyncapi.yaml', 'docs/openapi.yaml'],
    );
    for (const doc of generated)
      assert.ok(
        fs.readFileSync(doc.path, 'utf8') === doc.text,
        `${doc.name} is out of date with shared/: run npm run docs:api and commit it`,
      );
  });

  it('when the documents are asked without a token, then both are served as YAML, as committed', async () => {
    for (const name of ['asyncapi', 'openapi'] as const) {
      const res = await http(s.url, 'GET', API_DOCS[name].url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/yaml; charset=utf-8$/);
      assert.equal(res.body, fs.readFileSync(API_DOCS[name].file, 'utf8'));
      assert.equal(served[name], res.body);
    }
  });

  it('when @asyncapi/parser reads the served AsyncAPI document, then it is 3.0.0 with one channel per namespace', () => {
    assert.equal(asyncapi.version(), '3.0.0');
    assert.deepEqual(
      sorted(
        asyncapi
          .channels()
          .all()
          .map((c) => c.address() ?? ''),
      ),
      sorted(NAMESPACES),
    );
  });

  it('when a namespace’s channel is read, then its sends are exactly its registered commands and its receives exactly its pushes in shared/', () => {
    const registered = commandSchemas();
    for (const nsp of NAMESPACES) {
      // The server registers what shared/ declares, no more, no less.
      assert.deepEqual(sorted(registered[nsp].keys()), sorted(COMMANDS[nsp]), `${nsp}: registrations`);
      assert.equal(new Set(COMMANDS[nsp]).size, COMMANDS[nsp].length, `${nsp}: a command listed twice`);
      assert.equal(new Set(PUSHES[nsp]).size, PUSHES[nsp].length, `${nsp}: a push listed twice`);

      const channel = asyncapi
        .channels()
        .all()
        .find((c) => c.address() === nsp)!;
      const operations = channel.operations().all();
      const sends = operations.filter((o) => o.action() === 'send');
      const receives = operations.filter((o) => o.action() === 'receive');
      assert.equal(sends.length + receives.length, operations.length);
      const names = (ops: typeof operations) => sorted(ops.map((o) => o.messages().all()[0]!.name() ?? ''));
      assert.deepEqual(names(sends), sorted(registered[nsp].keys()), `${nsp}: commands`);
      assert.deepEqual(names(receives), sorted(PUSHES[nsp]), `${nsp}: pushes`);

      for (const op of sends) {
        const message = op.messages().all()[0]!;
        const command = message.name()!;
        assert.equal(op.reply()?.messages().all().length, 1, `${nsp} ${command}: the ack is its reply`);
        const requestId = message.payload()?.properties()?.requestId;
        if (WRITE_COMMANDS.has(command)) assert.equal(requestId?.format(), 'uuid', `${nsp} ${command}`);
        else if (!['friend:accept', 'friend:decline', 'friend:cancel'].includes(command))
          assert.equal(requestId, undefined, `${nsp} ${command} is not a write`);
      }
    }
  });

  it('when the OpenAPI document is validated, then it is valid OpenAPI 3.1 and every reference resolves', async () => {
    // ESM only: loaded the way its README says for CommonJS.
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const validator = new Validator();
    const result = await validator.validate(served.openapi);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
    assert.doesNotThrow(() => validator.resolveRefs());
    // A component that is only a reference (to itself, say) would resolve and say nothing.
    const { components } = load(served.openapi) as { components: { schemas: Record<string, object> } };
    for (const [name, schema] of Object.entries(components.schemas))
      assert.ok(!('$ref' in schema), `components.schemas.${name} is only a $ref`);
  });

  it('when the OpenAPI document is read, then it lists exactly the app’s routes, and each one answers on the server', async () => {
    const doc = load(served.openapi) as OpenApi;
    assert.equal(doc.openapi, '3.1.0');
    const documented = sorted(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    assert.deepEqual(documented, appRoutes());
    for (const route of documented) {
      const [method, path] = route.split(' ') as [string, string];
      // No token and no body: nothing is written; the route exists if it is not a 404.
      const res = await http(s.url, method.toUpperCase(), path.replace(/\{\w+\}/g, '1'));
      assert.notEqual(res.status, 404, `${route}: ${JSON.stringify(res.body)}`);
    }
  });
});
