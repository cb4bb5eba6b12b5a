package dev.aeon.codec.sdk;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Encrypts and decrypts through an Aeon codec server ({@code POST {endpoint}/encode} and {@code /decode}), so the
 * application never holds a key: the server encrypts with the namespace's current key and decrypts with whichever
 * key a payload names, including keys rotated out since. Every call is one HTTP round trip, which suits clients,
 * tools and light workers; busy workers are better served by {@link LocalKeyPayloadCodec}.
 *
 * <pre>{@code
 * PayloadCodec codec = CodecServerPayloadCodec.newBuilder(URI.create("https://codec.example.com"), "orders")
 *         .apiKey(System.getenv("AEON_API_KEY")).build();
 * DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec));
 * }</pre>
 */
public final class CodecServerPayloadCodec implements PayloadCodec {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final URI encodeUri;
    private final URI decodeUri;
    private final String namespace;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    private CodecServerPayloadCodec(Builder builder) {
        String base = builder.endpoint.toString().replaceAll("/+$", "");
        this.encodeUri = URI.create(base + "/encode");
        this.decodeUri = URI.create(base + "/decode");
        this.namespace = builder.namespace;
        this.apiKey = builder.apiKey;
        this.timeout = builder.timeout;
        this.http = builder.http != null ? builder.http
                : HttpClient.newBuilder().connectTimeout(builder.timeout).build();
    }

    /**
     * @param endpoint  the codec server's base URL; {@code /encode} and {@code /decode} are appended
     * @param namespace sent as {@code X-Namespace}; its keys encrypt and decrypt
     */
    public static Builder newBuilder(URI endpoint, String namespace) {
        return new Builder(endpoint, namespace);
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return call(encodeUri, payloads);
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        boolean anyEncrypted = payloads.stream().anyMatch(EncryptedPayloadFormat::isEncrypted);
        return anyEncrypted ? call(decodeUri, payloads) : payloads;
    }

    private List<Payload> call(URI uri, List<Payload> payloads) {
        if (payloads.isEmpty()) {
            return payloads;
        }
        String body;
        try {
            body = PRINTER.print(Payloads.newBuilder().addAllPayloads(payloads).build());
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadCodecException("cannot write payloads as JSON", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Namespace", namespace)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PayloadCodecException("codec server " + uri + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PayloadCodecException("interrupted while calling codec server " + uri, e);
        }
        if (response.statusCode() != 200) {
            throw new PayloadCodecException("codec server " + uri + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        Payloads.Builder result = Payloads.newBuilder();
        try {
            PARSER.merge(response.body(), result);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadCodecException("codec server " + uri + " answered with invalid Payloads JSON", e);
        }
        if (result.getPayloadsCount() != payloads.size()) {
            throw new PayloadCodecException("codec server " + uri + " returned " + result.getPayloadsCount()
                    + " payloads for " + payloads.size());
        }
        return result.getPayloadsList();
    }

    private static String abbreviate(String body) {
        return body.length() <= 500 ? body : body.substring(0, 500) + "...";
    }

    public static final class Builder {
        private final URI endpoint;
        private final String namespace;
        private String apiKey;
        private Duration timeout = Duration.ofSeconds(10);
        private HttpClient http;

        private Builder(URI endpoint, String namespace) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            this.namespace = Objects.requireNonNull(namespace, "namespace");
        }

        /** An Aeon API key, sent as {@code Authorization: Bearer <key>}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Connect and request timeout; 10 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The client to use, e.g. one with a TLS context; a new one by default. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public CodecServerPayloadCodec build() {
            return new CodecServerPayloadCodec(this);
        }
    }
}
