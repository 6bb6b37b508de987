# syntax=docker/dockerfile:1
# vmcp container image: build with the dev dependencies, run with the production ones only.
#
#   docker build -t vmcp .
#   docker run --rm -p 4483:4483 -v "$PWD/vmcp.yaml:/etc/vmcp/vmcp.yaml:ro" --read-only --tmpfs /tmp vmcp
#
# The image runs as a non-root user (uid 1000) and writes nothing outside /tmp, so it runs with a
# read-only root filesystem (docker --read-only, Kubernetes readOnlyRootFilesystem) and /tmp on a
# tmpfs or emptyDir. deploy/kubernetes/ runs it that way.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: TypeScript → dist/ ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own `prepare` (the build) needs src/, copied below; no
# dependency needs an install script to build (only esbuild, for tsx, which the build does not use).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, compiled code, no compiler ------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    TMPDIR=/tmp \
    HOME=/tmp
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# The same files `npm pack` ships (package.json "files"). Owned by root and not writable by the
# runtime user: the code cannot be changed by the process it runs in.
COPY bin ./bin
COPY schema ./schema
COPY examples ./examples
COPY --from=build /src/dist ./dist
# Numeric, so Kubernetes can check runAsNonRoot without a passwd lookup (uid 1000 is the image's `node`).
USER 1000:1000
EXPOSE 4483
ENTRYPOINT ["node", "bin/vmcp.js"]
CMD ["serve", "--config", "/etc/vmcp/vmcp.yaml", "--host", "0.0.0.0"]
