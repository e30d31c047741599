import assert from 'node:assert/strict';
import { ok } from './helpers/acks';
import { startApp } from './helpers/app';
import { BACKEND } from './helpers/backend';
import { boardId } from './helpers/boards';
import { http, newUsers } from './helpers/clients';
import { freePort } from '../deploy/cluster/checks';

const TOKEN = 'metrics-token-0123456789';

describe(`GET /metrics (${BACKEND})`, () => {
  it('when commands, pushes and a resume have happened, then /metrics shows them with sockets, pool, event-loop lag and the process series', async () => {
    const s = await startApp();
    const [w, r] = await newUsers(s.url, ['w', 'r'] as const);
    const board = await boardId(w.boards, '자유게시판');
    const sub = ok(await r.boards.subscribe('board:subscribe', { boardId: board }));
    ok(await w.boards.ask('post:create', { boardId: board, title: 'metrics', content: '…' }));
    ok(await r.boards.ask('board:subscribe', { boardId: board, since: sub.lastId }));
    const res = await http<string>(s.url, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = res.body;
    for (const series of [
      /quad_commands_total\{event="post:create",code="ok"\} 1/,
      /quad_command_ack_seconds_bucket\{le="[^"]+",event="post:create"\} 1/,
      /quad_sockets\{namespace="\/boards"\} 2/,
      /quad_pushes_total\{type="post:created"\} [12]/,
      /quad_deliveries_total [1-9]/,
      /quad_fanout_seconds_count [1-9]/,
      /quad_event_append_seconds_count [1-9]/,
      /quad_resumes_total\{result="ok"\} 1/,
      /quad_db_pool_connections\{state="in_use"\} \d/,
      /nodejs_eventloop_lag_seconds \d/,
      /process_cpu_user_seconds_total \d/,
    ])
      assert.match(text, series);
    if (BACKEND === 'mysql') assert.match(text, /quad_redis_up 1/);
    else assert.doesNotMatch(text, /quad_redis_up/);
  });

  it('when METRICS_TOKEN is set, then /metrics without it (or with a wrong one) is 401 and with it 200', async () => {
    const s = await startApp({ METRICS_TOKEN: TOKEN });
    assert.equal((await http(s.url, 'GET', '/metrics')).status, 401);
    assert.equal((await http(s.url, 'GET', '/metrics', { token: 'wrong-token-0123456789' })).status, 401);
    const res = await http<string>(s.url, 'GET', '/metrics', { token: TOKEN });
    assert.equal(res.status, 200);
    assert.match(res.body, /quad_commands_total/);
  });

  it('when METRICS_PORT is set, then /metrics is served there and not on the main port', async () => {
    const port = await freePort();
    const s = await startApp({ METRICS_PORT: String(port) });
    assert.equal((await http(s.url, 'GET', '/metrics')).status, 404);
    const res = await http<string>(`http://127.0.0.1:${port}`, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.body, /quad_sockets/);
  });
});
