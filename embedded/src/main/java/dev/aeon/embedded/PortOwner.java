package dev.aeon.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the process listening on a TCP port through /proc/net/tcp{,6} and each process's fd links. */
final class PortOwner {

    private static final String LISTEN = "0A";

    private PortOwner() {
    }

    static Optional<String> find(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            inodes.addAll(listeningInodes(Path.of(table), port));
        }
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> ownsAny(p, inodes))
                    .findFirst()
                    .map(PortOwner::describe);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Set<String> listeningInodes(Path table, int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        try {
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort) && LISTEN.equals(f[3])) {
                    inodes.add(f[9]);
                }
            }
        } catch (IOException e) {
            // no such table on this system
        }
        return inodes;
    }

    private static boolean ownsAny(Path proc, Set<String> inodes) {
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String describe(Path proc) {
        String pid = proc.getFileName().toString();
        try {
            String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ').trim();
            if (cmdline.length() > 120) {
                cmdline = cmdline.substring(0, 117) + "...";
            }
            return "pid " + pid + " (" + cmdline + ")";
        } catch (IOException e) {
            return "pid " + pid;
        }
    }
}
