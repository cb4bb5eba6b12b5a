package dev.aeon.dataplane.visibility.store;

import dev.aeon.dataplane.errors.ApiErrors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

/**
 * Opaque page tokens: the last row's sort key (start time, run id), signed with HMAC-SHA256 over the namespace id and
 * the query too, so a token cannot be forged, edited, or replayed against another namespace or query.
 */
public final class PageTokens {

    private static final byte VERSION = 1;
    private static final int MAC_LENGTH = 32;

    /** Where the next page starts: after this row in the order StartTime desc, RunId. */
    public record Position(Instant startTime, String runId) {
    }

    private final SecretKeySpec key;

    /** @param key at least 32 bytes; every node serving the namespace must share it for tokens to survive a hop */
    public PageTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a page token key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** A key of this process only: tokens do not survive a restart. */
    public static PageTokens withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new PageTokens(key);
    }

    public byte[] encode(String namespaceId, String query, Position position) {
        byte[] runId = position.runId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 4 + runId.length);
        body.put(VERSION).putLong(position.startTime().getEpochSecond()).putInt(position.startTime().getNano())
                .put(runId);
        byte[] payload = body.array();
        byte[] mac = mac(namespaceId, query, payload);
        return ByteBuffer.allocate(payload.length + MAC_LENGTH).put(payload).put(mac).array();
    }

    /** @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when the token was not made for this listing */
    public Position decode(String namespaceId, String query, byte[] token) {
        if (token.length < 1 + 8 + 4 + MAC_LENGTH || token[0] != VERSION) {
            throw invalid();
        }
        byte[] payload = Arrays.copyOf(token, token.length - MAC_LENGTH);
        byte[] mac = Arrays.copyOfRange(token, token.length - MAC_LENGTH, token.length);
        if (!MessageDigest.isEqual(mac, mac(namespaceId, query, payload))) {
            throw invalid();
        }
        ByteBuffer body = ByteBuffer.wrap(payload, 1, payload.length - 1);
        long seconds = body.getLong();
        int nanos = body.getInt();
        String runId = new String(payload, 13, payload.length - 13, StandardCharsets.UTF_8);
        return new Position(Instant.ofEpochSecond(seconds, nanos), runId);
    }

    private byte[] mac(String namespaceId, String query, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(namespaceId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(query.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static RuntimeException invalid() {
        return ApiErrors.invalidArgument("invalid page token: it does not belong to this namespace and query");
    }
}
