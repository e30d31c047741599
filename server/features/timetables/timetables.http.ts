import { Router, type RequestHandler } from 'express';
import { coursesSearchInput } from '../../../shared/schemas/timetables';
import { parse, queryInput } from '../../core/http';
import type { CatalogService } from './catalog.service';

/** REST reads of the catalog for apps: the same service and query schema as `courses:search`. */
export function catalogRouter(catalog: CatalogService, auth: RequestHandler): Router {
  const router = Router();
  router.get('/semesters', auth, async (_req, res) => {
    res.json({ semesters: await catalog.listSemesters() });
  });
  router.get('/courses', auth, async (req, res) => {
    res.json(await catalog.search(parse(coursesSearchInput, queryInput(req, ['limit', 'credits']))));
  });
  return router;
}
