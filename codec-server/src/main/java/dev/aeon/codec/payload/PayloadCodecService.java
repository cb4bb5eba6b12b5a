package dev.aeon.codec.payload;

import dev.aeon.codec.CodecException;
import dev.aeon.codec.CodecException.Cause;
import dev.aeon.codec.keys.DataKeyService;
import dev.aeon.codec.sdk.EncryptedPayloadFormat;
import dev.aeon.codec.sdk.PayloadFormatException;
import io.temporal.api.common.v1.Payload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.SecretKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encrypts with a namespace's current key and decrypts with whichever of its keys a payload names, in
 * {@link EncryptedPayloadFormat}. One payload in, one out, in order; a request fails as a whole, naming the first
 * payload at fault.
 */
@ApplicationScoped
public class PayloadCodecService {

    @Inject
    DataKeyService keys;

    public List<Payload> encode(String namespace, List<Payload> payloads) {
        if (payloads.isEmpty()) {
            return payloads;
        }
        DataKeyService.EncryptionKey key = keys.encryptionKey(namespace);
        List<Payload> result = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            result.add(EncryptedPayloadFormat.encrypt(payload, key.keyId(), key.key()));
        }
        return result;
    }

    /** Payloads that are not encrypted ({@code encoding} other than {@code binary/encrypted}) pass unchanged. */
    public List<Payload> decode(String namespace, List<Payload> payloads) {
        List<Payload> result = new ArrayList<>(payloads.size());
        Map<String, SecretKey> resolved = new HashMap<>();
        for (int i = 0; i < payloads.size(); i++) {
            Payload payload = payloads.get(i);
            if (!EncryptedPayloadFormat.isEncrypted(payload)) {
                result.add(payload);
                continue;
            }
            try {
                String keyId = EncryptedPayloadFormat.keyIdOf(payload);
                SecretKey key = resolved.get(keyId);
                if (key == null) {
                    key = keys.decryptionKey(namespace, keyId);
                    resolved.put(keyId, key);
                }
                result.add(EncryptedPayloadFormat.decrypt(payload, key));
            } catch (PayloadFormatException e) {
                throw new CodecException(causeOf(e.reason()), e.getMessage()).atPayload(i);
            } catch (CodecException e) {
                throw e.atPayload(i);
            }
        }
        return result;
    }

    private static Cause causeOf(PayloadFormatException.Reason reason) {
        return switch (reason) {
            case MISSING_KEY_ID -> Cause.MISSING_KEY_ID;
            case UNSUPPORTED_CIPHER -> Cause.UNSUPPORTED_CIPHER;
            case CORRUPTED -> Cause.CORRUPTED_CIPHERTEXT;
            case TAMPERED -> Cause.TAMPERED_CIPHERTEXT;
        };
    }
}
