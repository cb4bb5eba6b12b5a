package dev.aeon.dataplane.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP requests relayed to the leader's advertised HTTP address, for the HTTP entries whose work only the leader
 * can do (the internal API's schedule calls, Temporal's Nexus entry): the same method, path, query, headers and
 * body, and the leader's answer as it came.
 */
@ApplicationScoped
public class LeaderHttp {

    /** Headers the HTTP client sets itself, or that belong to one hop only. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Membership membership;
    private final boolean spread;

    public LeaderHttp(Membership membership, ClusterConfig config) {
        this.membership = membership;
        this.spread = config.placement() == ClusterConfig.Placement.SPREAD;
    }

    /**
     * The leader, when calls that need it go there from this node: empty on the leader itself, when no leader is
     * known, and always with shards spread (every node serves those calls then, reaching the owning node itself).
     */
    public Optional<Member> elsewhere() {
        return spread || membership.isLeader() ? Optional.empty() : membership.leader();
    }

    public CompletableFuture<HttpResponse<byte[]>> relay(Member leader, String method, String pathAndQuery,
                                                         Map<String, ? extends Iterable<String>> headers, byte[] body,
                                                         Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + leader.httpAddress() + pathAndQuery))
                .timeout(timeout)
                .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Whether a response header of the leader's is to be passed on (not one of the hop's own). */
    public static boolean passOn(String header) {
        return !HOP_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT));
    }
}
