package dev.aeon.codec.sdk;

import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;

import javax.crypto.SecretKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Encrypts and decrypts in the worker's own process with keys it holds ({@link LocalKeyRing}): no network call per
 * payload, the right choice for workers. The format is {@link EncryptedPayloadFormat}'s, so the codec server
 * decrypts these payloads for the Web UI and CLI once the same keys are imported into it.
 *
 * <pre>{@code
 * LocalKeyRing keys = LocalKeyRing.current("orders-2025-06", currentKeyBytes).add("orders-2025-01", oldKeyBytes).build();
 * DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
 *         List.of(new LocalKeyPayloadCodec(keys)));
 * WorkflowClient client = WorkflowClient.newInstance(service,
 *         WorkflowClientOptions.newBuilder().setNamespace("orders").setDataConverter(converter).build());
 * }</pre>
 */
public final class LocalKeyPayloadCodec implements PayloadCodec {

    private final LocalKeyRing keys;

    public LocalKeyPayloadCodec(LocalKeyRing keys) {
        this.keys = keys;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        String keyId = keys.currentKeyId();
        SecretKey key = keys.currentKey();
        List<Payload> result = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            result.add(EncryptedPayloadFormat.encrypt(payload, keyId, key));
        }
        return result;
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        List<Payload> result = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            if (!EncryptedPayloadFormat.isEncrypted(payload)) {
                result.add(payload);
                continue;
            }
            try {
                String keyId = EncryptedPayloadFormat.keyIdOf(payload);
                SecretKey key = keys.key(keyId);
                if (key == null) {
                    throw new PayloadCodecException("payload encrypted with key '" + keyId
                            + "', which this LocalKeyRing does not hold");
                }
                result.add(EncryptedPayloadFormat.decrypt(payload, key));
            } catch (PayloadFormatException e) {
                throw new PayloadCodecException(e.getMessage(), e);
            }
        }
        return result;
    }
}
