# syntax=docker/dockerfile:1
# Redress as a container image. Stage 1 installs everything and runs `npm run build`, then drops
# the dev dependencies; stage 2 holds only the build, the production node_modules and
# package.json, runs as the unprivileged `node` user, and needs no writable path but DATA_DIR:
#
#   docker build -t redress .
#   docker run -d --name redress --read-only --tmpfs /tmp:size=16m --cap-drop ALL \
#     --security-opt no-new-privileges -p 127.0.0.1:8080:8080 -v redress-data:/data redress
#
# (docs/OPERATIONS.md §1.3; deploy/compose.yaml says the same in Compose form.)

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles its native module from source when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf dist/node/server/*.map

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    CLIENT_DIR=/app/dist/client
WORKDIR /app
# Owned by root and read-only to the server: only /data is its own.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers once the database is open and migrated and the server listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# node itself, not npm: npm does not pass SIGTERM on, and the server must close the database cleanly.
CMD ["node", "dist/node/server/main.js"]
