package dev.aeon.codec.master;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasterKeySourceTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static String failure(Optional<String> key, Optional<String> file, boolean generate, boolean prod) {
        return assertThrows(MasterKeyException.class, () -> MasterKeySource.load(key, file, generate, prod))
                .getMessage();
    }

    @Test
    void noKeyStopsStartUpNamingTheConfiguration() {
        String message = failure(Optional.empty(), Optional.empty(), false, true);
        assertTrue(message.contains("aeon.codec.master-key ") && message.contains("aeon.codec.master-key-file"),
                message);
        assertTrue(failure(Optional.empty(), Optional.empty(), false, false).startsWith("no master key"));
    }

    @Test
    void aKeyInMemoryOnlyIsRefusedInProdEvenWhenAskedFor() {
        String message = failure(Optional.empty(), Optional.empty(), true, true);
        assertTrue(message.contains("aeon.codec.master-key-generate") && message.contains("prod"), message);
        assertEquals(32, MasterKeySource.load(Optional.empty(), Optional.empty(), true, false).key().length);
    }

    @Test
    void malformedKeysAreNamed() {
        assertTrue(failure(Optional.of("***"), Optional.empty(), false, true).contains("not valid base64"));
        String shortKey = failure(Optional.of(Base64.getEncoder().encodeToString(new byte[16])), Optional.empty(),
                false, true);
        assertTrue(shortKey.contains("16 bytes") && shortKey.contains("aeon.codec.master-key"), shortKey);
        assertTrue(failure(Optional.of(KEY), Optional.of("/x"), false, true).contains("only one"));
    }

    @Test
    void aKeyFileIsReadOrGeneratedOnlyWhenAskedFor(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("codec").resolve("master.key");
        assertTrue(failure(Optional.empty(), Optional.of(file.toString()), false, true).contains("does not exist"));

        MasterKeySource.Loaded generated = MasterKeySource.load(Optional.empty(), Optional.of(file.toString()), true,
                true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(!generated.toString().contains(Base64.getEncoder().encodeToString(generated.key())));

        MasterKeySource.Loaded again = MasterKeySource.load(Optional.empty(), Optional.of(file.toString()), true,
                true);
        assertArrayEquals(generated.key(), again.key());
    }

    @Test
    void wrappedKeysAreBoundToTheirContextAndMasterKey() {
        LocalMasterKeyProvider provider = new LocalMasterKeyProvider("m1", new byte[32]);
        byte[] data = new byte[32];
        data[0] = 7;
        byte[] wrapped = provider.wrap(data, "ns\0k1".getBytes());

        assertArrayEquals(data, provider.unwrap("m1", wrapped, "ns\0k1".getBytes()));
        assertThrows(MasterKeyException.class, () -> provider.unwrap("m1", wrapped, "other\0k1".getBytes()));
        assertThrows(MasterKeyException.class, () -> provider.unwrap("m2", wrapped, "ns\0k1".getBytes()));
        byte[] otherMaster = new byte[32];
        otherMaster[0] = 1;
        assertThrows(MasterKeyException.class,
                () -> new LocalMasterKeyProvider("m1", otherMaster).unwrap("m1", wrapped, "ns\0k1".getBytes()));
    }
}
