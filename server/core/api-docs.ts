import path from 'node:path';
import { Router } from 'express';
import { AppError } from './errors';
import { ROOT } from './paths';

/** The generated API documents (`npm run docs:api`), served as committed under /api. */
export const API_DOCS = {
  asyncapi: { url: '/api/asyncapi.yaml', file: path.join(ROOT, 'docs', 'asyncapi.yaml') },
  openapi: { url: '/api/openapi.yaml', file: path.join(ROOT, 'docs', 'openapi.yaml') },
} as const;

/** GET /api/asyncapi.yaml and /api/openapi.yaml, without authentication (mounted under /api). */
export function apiDocsRouter(): Router {
  const router = Router();
  for (const { url, file } of Object.values(API_DOCS)) {
    router.get(url.slice('/api'.length), (_req, res, next) => {
      res.type('application/yaml; charset=utf-8');
      res.sendFile(file, { maxAge: '5m' }, (err) => {
        if (err) next(new AppError('NOT_FOUND', `${path.basename(file)} is not part of this installation`));
      });
    });
  }
  return router;
}
