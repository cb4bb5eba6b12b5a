package dev.aeon.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory the kernel says is available for new work (Linux's MemAvailable). */
final class MemoryInfo {

    private MemoryInfo() {
    }

    /** Bytes available, or -1 when the system does not say. */
    static long availableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unusual kernel: skip the check
        }
        return -1;
    }
}
