package dev.aeon.codec.master;

import dev.aeon.auth.SecretFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the master key comes from, decided once at start-up. A missing key stops the server with a message naming
 * the configuration keys; a key is generated only when {@code aeon.codec.master-key-generate} asks for it, and in
 * the prod profile only into a file, since a key that lives in memory would take every data key with it at the
 * next restart.
 */
public final class MasterKeySource {

    static final String KEY = "aeon.codec.master-key";
    static final String FILE = "aeon.codec.master-key-file";
    static final String GENERATE = "aeon.codec.master-key-generate";
    private static final String HOW = "base64 of 32 random bytes, e.g. `openssl rand -base64 32`";

    /** The key and a description of where it came from, fit for a log line (never the key). */
    public record Loaded(byte[] key, String origin) {
        @Override
        public String toString() {
            return "Loaded[origin=" + origin + "]";
        }
    }

    private MasterKeySource() {
    }

    public static Loaded load(Optional<String> base64, Optional<String> file, boolean generate, boolean prod) {
        if (base64.isPresent() && file.isPresent()) {
            throw new MasterKeyException("both " + KEY + " and " + FILE + " are set; set only one");
        }
        if (base64.isPresent()) {
            return new Loaded(decode(base64.get(), KEY), KEY);
        }
        if (file.isPresent()) {
            Path path = Path.of(file.get());
            if (Files.exists(path)) {
                return new Loaded(decode(read(path), FILE + " (" + path + ")"), FILE + "=" + path);
            }
            if (!generate) {
                throw new MasterKeyException(FILE + " names " + path + ", which does not exist; write the key there ("
                        + HOW + ") or set " + GENERATE + "=true to create one");
            }
            return new Loaded(generateInto(path), FILE + "=" + path + " (generated)");
        }
        if (!generate) {
            throw new MasterKeyException("no master key: set " + KEY + " (" + HOW + ") or " + FILE
                    + " (a file holding it)");
        }
        if (prod) {
            throw new MasterKeyException(GENERATE + "=true without " + FILE + " would keep the master key only in"
                    + " memory and lose every data key at restart; in the prod profile set " + KEY + " or " + FILE);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new Loaded(key, "generated in memory (" + GENERATE + ", dev/test only)");
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new MasterKeyException(source + " is not valid base64 (" + HOW + ")");
        }
        if (key.length != 32) {
            throw new MasterKeyException(source + " decodes to " + key.length + " bytes; it must be 32 (" + HOW + ")");
        }
        return key;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new MasterKeyException("cannot read " + FILE + " " + path + ": " + e.getMessage());
        }
    }

    private static byte[] generateInto(Path path) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            SecretFiles.createNew(path, Base64.getEncoder().encodeToString(key) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + FILE + " " + path, e);
        }
        return key;
    }
}
