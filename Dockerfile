# Crossdock hub image, built with what the tests ran with: the Swift toolchain (SWIFT_VERSION),
# the dependency versions (docker/dependency-pins.json, refreshed by scripts/pin-docker-dependencies)
# and librdkafka LIBRDKAFKA_VERSION with the project's patches (scripts/patches), as scripts/setup
# builds it. The executable needs no file beside it (the GS1 dictionary is compiled in).
ARG SWIFT_VERSION=6.3.1
FROM swift:${SWIFT_VERSION}-noble AS build
ARG LIBRDKAFKA_VERSION=2.14.2
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config patch curl ca-certificates python3 \
      libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/patches /src/scripts/patches
RUN curl -fsSL "https://github.com/confluentinc/librdkafka/archive/refs/tags/v${LIBRDKAFKA_VERSION}.tar.gz" -o /tmp/librdkafka.tar.gz \
 && mkdir /tmp/librdkafka && tar -C /tmp/librdkafka --strip-components=1 -xzf /tmp/librdkafka.tar.gz \
 && cd /tmp/librdkafka \
 && for p in /src/scripts/patches/librdkafka-*.patch; do patch -p1 --forward <"$p"; done \
 && ./configure --prefix=/usr/local && make -j"$(nproc)" libs && make install && ldconfig
WORKDIR /src
COPY Package.swift ./
COPY docker/dependency-pins.json ./Package.resolved
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product crossdock --static-swift-stdlib --force-resolved-versions \
 && cp "$(swift build -c release --show-bin-path)/crossdock" /usr/local/bin/crossdock

FROM ubuntu:24.04
# tzdata: site and partner time zones are read from the system's IANA database.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata libssl3 libsasl2-2 zlib1g libzstd1 liblz4-1 libcurl4 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/lib/librdkafka.so.1 /usr/local/lib/
RUN ldconfig
COPY --from=build /usr/local/bin/crossdock /usr/local/bin/crossdock
COPY examples/network /etc/crossdock/network
USER nobody
ENTRYPOINT ["/usr/local/bin/crossdock"]
CMD ["--help"]
