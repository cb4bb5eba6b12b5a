package dev.aeon.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One address in front of several data-plane nodes on this machine, as a Kubernetes Service or a cloud load
 * balancer is in production: a TCP proxy that hands each new connection to the next ready node (readiness from the
 * node's {@code /q/health/ready}, checked every half second). A connection stays with its node; when the node dies,
 * the client's reconnect lands on a live one. The nodes forward calls among themselves, so any ready node will do.
 */
final class LocalBalancer implements AutoCloseable {

    /** A backend: the port connections go to, and the port its readiness answers on. */
    record Node(String name, int port, int healthPort) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final String name;
    private final List<Node> nodes;
    private final AtomicReferenceArray<Boolean> ready;
    private final AtomicInteger next = new AtomicInteger();
    private final ServerSocket listener;
    private final ScheduledExecutorService health = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "aeon-balancer-health"));
    private volatile boolean closed;

    private LocalBalancer(String name, int port, List<Node> nodes) throws IOException {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.ready = new AtomicReferenceArray<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            ready.set(i, false);
        }
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    static LocalBalancer start(String name, int port, List<Node> nodes) {
        try {
            LocalBalancer balancer = new LocalBalancer(name, port, nodes);
            balancer.health.scheduleWithFixedDelay(balancer::checkHealth, 0, 500, TimeUnit.MILLISECONDS);
            daemon(balancer::accept, "aeon-balancer-" + name).start();
            return balancer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for " + name, e);
        }
    }

    private void checkHealth() {
        for (int i = 0; i < nodes.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(i).healthPort()
                    + "/q/health/ready")).timeout(Duration.ofSeconds(1)).build();
            boolean up;
            try {
                up = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                up = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ready.set(i, up);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                daemon(() -> relay(client), "aeon-balancer-connect").start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("aeon dev: " + name + " balancer: " + e.getMessage());
                }
            }
        }
    }

    /** Connects the client to the next ready node (any node that accepts, when none is known ready). */
    private void relay(Socket client) {
        int start = Math.floorMod(next.getAndIncrement(), nodes.size());
        for (boolean readyOnly : new boolean[] {true, false}) {
            for (int i = 0; i < nodes.size(); i++) {
                int index = (start + i) % nodes.size();
                if (readyOnly && !ready.get(index)) {
                    continue;
                }
                try {
                    Socket backend = new Socket();
                    backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), nodes.get(index).port()),
                            1000);
                    pipe(client, backend);
                    return;
                } catch (IOException refused) {
                    // that node is down: try the next
                }
            }
        }
        close(client);
    }

    private static void pipe(Socket client, Socket backend) {
        try {
            client.setTcpNoDelay(true);
            backend.setTcpNoDelay(true);
            InputStream fromClient = client.getInputStream();
            OutputStream toBackend = backend.getOutputStream();
            InputStream fromBackend = backend.getInputStream();
            OutputStream toClient = client.getOutputStream();
            daemon(() -> copy(fromClient, toBackend, client, backend), "aeon-balancer-up").start();
            copy(fromBackend, toClient, client, backend);
        } catch (IOException e) {
            close(client);
            close(backend);
        }
    }

    private static void copy(InputStream from, OutputStream to, Socket client, Socket backend) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                to.write(buffer, 0, read);
                to.flush();
            }
        } catch (IOException ended) {
            // one side went away
        } finally {
            close(client);
            close(backend);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        health.shutdownNow();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
