# syntax=docker/dockerfile:1
# Container image of tencentcloud_org_exporter. Build: docker build -t tencentcloud-org-exporter .
# The package lists and the build line live in scripts/install-deps and scripts/build-binaries,
# shared with scripts/run; CI's newcomer stage (.ci/newcomer) runs this file's RUN lines in a
# clean Debian root, since no container engine runs there.

# ---- build: the exporter in Release, BUILD_TESTING=OFF, from Debian's -dev packages ----
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps scripts/
RUN scripts/install-deps --build-only && rm -rf /var/lib/apt/lists/*
COPY . .
RUN scripts/build-binaries --release --exporter-only build \
 && strip build/exporter/tencentcloud_org_exporter

# ---- runtime: the binary, its shared libraries and CA certificates; runs as nobody ----
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="tencentcloud-org-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Tencent Cloud Organization"
COPY scripts/install-deps /tmp/
RUN /tmp/install-deps --runtime && rm -rf /var/lib/apt/lists/* /tmp/install-deps
COPY --from=build /src/build/exporter/tencentcloud_org_exporter /usr/local/bin/tencentcloud_org_exporter
# Fail the image build, not the first start, when a shared library is missing.
RUN if ldd /usr/local/bin/tencentcloud_org_exporter | grep 'not found'; then exit 1; fi \
 && /usr/local/bin/tencentcloud_org_exporter --version
# 65534 is nobody:nogroup; numeric so Kubernetes can check runAsNonRoot.
USER 65534:65534
EXPOSE 10110
ENTRYPOINT ["/usr/local/bin/tencentcloud_org_exporter"]
