# arklow-mock: a contract-true mock of the Arklow API, as a container.
#
#   docker build -t arklow-mock --build-arg VERSION=v1.2.3 .
#   docker run --rm -p 3123:3123 arklow-mock
#   docker run --rm -p 3123:3123 -v "$PWD/fixtures:/srv/arklow-mock/fixtures:ro" arklow-mock
#
# The release image is one tag for linux/amd64 and linux/arm64, built with
# buildx (docs/install.md#the-container-image):
#
#   docker buildx build --platform linux/amd64,linux/arm64 --build-arg VERSION=v1.2.3 \
#     -t ghcr.io/arklow/arklow-mock:1.2.3 --push .
#
# e2e/container_test.go parses this file and builds and runs the binary
# exactly as the stages below do; keep the two in step.

# ---- build ----------------------------------------------------------------
# The official Go image, Debian bookworm like the distroless base below; the
# 1.26 tag follows the newest 1.26.x patch (go.mod asks for 1.26.8 or later).
# It runs on the build machine's own platform ($BUILDPLATFORM) whatever the
# target: Go cross-compiles, so an arm64 image is built without emulation.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build

# The platform the image is for (linux and amd64 or arm64), which BuildKit
# sets from --platform; unset (the legacy builder), go build builds for the
# machine it runs on.
ARG TARGETOS TARGETARCH

# The version reported by `arklow-mock version` and the startup banner.
ARG VERSION=dev

WORKDIR /src

# Module downloads get their own layer: it is rebuilt only when go.mod or
# go.sum change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download

COPY . .

# CGO_ENABLED=0: a static binary, so the final image needs no libc.
# GOOS/GOARCH: the target's binary (cross-compiled).
# -trimpath: no build-machine paths in the binary (reproducible builds).
# -s -w: no symbol table or DWARF (a smaller image; stack traces keep their
# function names and lines). -X stamps the version.
# The cache mount only speeds up rebuilds; it does not change the output.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags "-s -w -X github.com/arklow/arklow-mock/internal/cli.version=${VERSION}" -o /out/arklow-mock .

# ---- run ------------------------------------------------------------------
# distroless/static rather than scratch: the same absence of shell and
# package manager, but with /etc/passwd (the nonroot user), /tmp, CA
# certificates and tzdata, maintained and scanned by its publisher. The
# :nonroot variant defaults to uid 65532. No --platform: it is pulled for
# the target (the tag is a multi-platform index, amd64 and arm64 among them).
FROM gcr.io/distroless/static-debian12:nonroot

# The binary on the default PATH of the base image.
COPY --from=build /out/arklow-mock /usr/local/bin/arklow-mock

# The shipped data, baked in so the image works alone; docker-compose.yml
# bind-mounts the working copies over the same paths (read-only).
COPY spec/ /srv/arklow-mock/spec/
COPY fixtures/ /srv/arklow-mock/fixtures/
COPY scenarios/ /srv/arklow-mock/scenarios/

# Relative paths given on the command line resolve under the data folder.
WORKDIR /srv/arklow-mock

# Listen on every interface: inside a container, 127.0.0.1 is unreachable
# from the host's port map and from other containers. The data paths are
# absolute so they hold whatever the working directory is.
ENV MOCK_ADDR=0.0.0.0:3123 \
    MOCK_SPEC=/srv/arklow-mock/spec \
    MOCK_FIXTURES=/srv/arklow-mock/fixtures \
    MOCK_SCENARIOS=/srv/arklow-mock/scenarios

# Documentation only: the port MOCK_ADDR listens on (publish with -p).
EXPOSE 3123

# Numeric non-root user (distroless's nonroot): numeric so that Kubernetes'
# runAsNonRoot can verify it without reading /etc/passwd. The server writes
# nothing to disk; the data it reads is world-readable.
USER 65532:65532

# The server finishes in-flight requests on SIGTERM (at most 10 s) and exits
# 0; SIGTERM is Docker's default, stated here so nobody changes it unknowingly.
STOPSIGNAL SIGTERM

# Exec form: there is no shell in the image. The binary answers the health
# probe itself (GET /__mock/health within 2 s; 0.0.0.0 is probed as
# 127.0.0.1). start-period covers loading and compiling the spec.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
    CMD ["/usr/local/bin/arklow-mock", "healthcheck"]

# Exec form, so the server is PID 1 and receives SIGTERM directly. Arguments
# given to `docker run IMAGE ...` replace CMD: `validate`, `scenarios`,
# `version`, or `serve --scenario reused-code`.
ENTRYPOINT ["/usr/local/bin/arklow-mock"]
CMD ["serve"]
