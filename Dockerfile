# Crossdock hub image. Ubuntu 24.04's librdkafka is 2.3, the oldest Crossdock supports.
FROM swift:6.1-noble AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends librdkafka-dev pkg-config libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product crossdock --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/crossdock" /usr/local/bin/crossdock

FROM ubuntu:24.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends librdkafka1 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/crossdock /usr/local/bin/crossdock
COPY examples/network /etc/crossdock/network
USER nobody
ENTRYPOINT ["/usr/local/bin/crossdock"]
CMD ["--help"]
