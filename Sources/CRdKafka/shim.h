#ifndef CROSSDOCK_CRDKAFKA_SHIM_H
#define CROSSDOCK_CRDKAFKA_SHIM_H

#include <librdkafka/rdkafka.h>

/// rd_kafka_producev is variadic, which Swift cannot call; this fixed-arity wrapper can. The topic
/// is a handle resolved once (by name, librdkafka would look it up under a lock for every record).
/// A timestamp of 0 means now. The payload and key are copied; on success the headers belong to
/// librdkafka, on failure they still belong to the caller.
static inline rd_kafka_resp_err_t crossdock_produce(rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition,
                                                    const void *key, size_t key_len,
                                                    const void *value, size_t value_len,
                                                    rd_kafka_headers_t *headers, void *opaque,
                                                    int64_t timestamp) {
    return rd_kafka_producev(rk,
                             RD_KAFKA_V_RKT(rkt),
                             RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_VALUE((void *)value, value_len),
                             RD_KAFKA_V_HEADERS(headers),
                             RD_KAFKA_V_OPAQUE(opaque),
                             RD_KAFKA_V_TIMESTAMP(timestamp),
                             RD_KAFKA_V_END);
}

#endif
