# Quad: production image.
#
#   docker build -t quad .
#   docker run -p 3000:3000 -e JWT_SECRET=... -e DATABASE_URL=mysql://... -e REDIS_URL=redis://... quad
#
# Or two replicas behind nginx (HTTPS), with MySQL and Redis: see docker-compose.yml and
# docs/deploy.md.
#
# Stages: `toolchain` (Node + the compilers native modules may need: sqlite3, argon2),
# `build` (all dependencies, tsc -> dist/), `prod-deps` (production dependencies only),
# and the final runtime image, which has no compilers, no dev dependencies and no sources.

FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

FROM toolchain AS build
COPY package.json package-lock.json ./
# --ignore-scripts: this stage only compiles (tsc, Vite), so native modules need not be built
# here, and `prepare` (the dashboard build) would run before client-demo/ is copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY shared ./shared
COPY server ./server
COPY client-demo ./client-demo
# tsc -> dist/, and the dashboard (Vite) -> client-demo/dist
RUN npm run build

FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
# `prepare` runs client-demo/build.mts, which skips the dashboard build without Vite (a dev dependency).
COPY client-demo/build.mts ./client-demo/
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
# The app finds its root by walking up from dist/server/core to package.json, then reads
# <root>/server/seeds/*.csv (catalog migration) and serves <root>/client-demo/dist.
# Everything stays root-owned (read-only for the app); only data/ belongs to `node`.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY server/seeds/*.csv ./server/seeds/
COPY --from=build /app/client-demo/dist ./client-demo/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only; /readyz also checks the database and Redis. Slim images have no curl: use fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Pending migrations run on start. To run them on their own: node dist/server/scripts/migrate.js
CMD ["node", "dist/server/main.js"]
