import { Router, type RequestHandler } from 'express';
import type { RestResponses } from '../../../shared/contract';
import { coursesSearchInput } from '../../../shared/schemas/timetables';
import { parse, queryInput } from '../../core/http';
import type { CatalogService } from './catalog.service';

/** REST reads of the catalog for apps: the same service and query schema as `courses:search`. */
export function catalogRouter(catalog: CatalogService, auth: RequestHandler): Router {
  const router = Router();
  router.get('/semesters', auth, async (_req, res) => {
    res.json({ semesters: await catalog.listSemesters() } satisfies RestResponses['GET /api/semesters']);
  });
  router.get('/courses', auth, async (req, res) => {
    const input = parse(coursesSearchInput, queryInput(req, ['limit', 'credits']));
    res.json((await catalog.search(input)) satisfies RestResponses['GET /api/courses']);
  });
  return router;
}
