package dev.aeon.launcher;

import dev.aeon.auth.SecretFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret the platform makes for itself, 32 random bytes in base64, kept in the data directory: made once, readable
 * by its owner only. The services' shared internal token (docs/internal-api.md) and the key that encrypts the
 * control plane's signing keys are such secrets.
 */
final class RandomSecretFile {

    private RandomSecretFile() {
    }

    static String of(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String value = Base64.getEncoder().encodeToString(secret);
            try {
                SecretFiles.createNew(file, value + "\n");
            } catch (FileAlreadyExistsException madeMeanwhile) {
                return Files.readString(file).trim();
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }
}
