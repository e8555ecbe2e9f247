# syntax=docker/dockerfile:1
# Container image of tencentcloud_org_exporter. Build: docker build -t tencentcloud-org-exporter .

# ---- build: the exporter target only, in Release, from Debian's -dev packages (nothing downloaded) ----
FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config \
      prometheus-cpp-dev libcpp-httplib-dev nlohmann-json3-dev libssl-dev libyaml-cpp-dev zlib1g-dev \
      libgtest-dev libgmock-dev libbenchmark-dev \
 && rm -rf /var/lib/apt/lists/*
# The test libraries only satisfy find_package() and the test targets' link lines at configure time; no test is built.
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTCORG_HELM_TESTS=OFF \
 && cmake --build build --target tencentcloud_org_exporter --parallel "$(nproc)" \
 && strip build/exporter/tencentcloud_org_exporter

# ---- runtime: the binary, its shared libraries and CA certificates; runs as nobody ----
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="tencentcloud-org-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Tencent Cloud Organization"
# Runtime packages of the -dev packages above (libcpp-httplib0.11 brings libbrotli1; libstdc++6 is in the base).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      libprometheus-cpp-core1.0 \
      libcpp-httplib0.11 \
      libssl3 \
      libyaml-cpp0.7 \
      zlib1g \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/exporter/tencentcloud_org_exporter /usr/local/bin/tencentcloud_org_exporter
# Fail the image build, not the first start, when a shared library is missing.
RUN if ldd /usr/local/bin/tencentcloud_org_exporter | grep 'not found'; then exit 1; fi
# 65534 is nobody:nogroup; numeric so Kubernetes can check runAsNonRoot.
USER 65534:65534
EXPOSE 10110
ENTRYPOINT ["/usr/local/bin/tencentcloud_org_exporter"]
