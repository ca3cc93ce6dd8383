# sigsock in a container: see docs/service.md.
#   docker build -t sigsock .
#   docker run -it --rm -v sigsock-data:/data sigsock link --name "my bot"
#   docker run -d --name sigsock -v sigsock-data:/data -p 127.0.0.1:6789:6789 sigsock \
#     -a +NUMBER socket --host 0.0.0.0 --auth-token-file /data/token

# Build stage: the dev dependencies (TypeScript) build dist/, then the package is packed.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm pack --ignore-scripts && mv sigsock-*.tgz /tmp/sigsock.tgz

# Runtime: the installed package and its production dependencies only, run as an unprivileged user.
FROM node:22-bookworm-slim
COPY --from=build /tmp/sigsock.tgz /tmp/sigsock.tgz
RUN npm install -g --no-audit --no-fund /tmp/sigsock.tgz && rm /tmp/sigsock.tgz && npm cache clean --force \
  && groupadd --system sigsock && useradd --system --gid sigsock --home-dir /data --shell /usr/sbin/nologin sigsock \
  && mkdir -m 0700 /data && chown sigsock:sigsock /data
USER sigsock
# V8's young generation capped at 2 MB semi-spaces: much less memory after traffic, the same CPU
# per message (docs/benchmarks.md).
ENV NODE_OPTIONS=--max-semi-space-size=2
# The account databases, their key file and attachments: keep this volume, and back it up.
VOLUME /data
EXPOSE 6789
STOPSIGNAL SIGTERM
ENTRYPOINT ["sigsock", "--config", "/data"]
CMD ["--help"]
