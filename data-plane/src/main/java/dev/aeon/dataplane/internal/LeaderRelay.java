package dev.aeon.dataplane.internal;

import dev.aeon.auth.InternalToken;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The internal API's calls that run in the engine (schedules) are answered by the leader, the node that holds the
 * shards (docs/ARCHITECTURE.md, "Nodes"): on any other node they are relayed to the leader's HTTP address as they
 * came, and its answer, status included, is the answer. The control plane reaches the data plane through a Service,
 * so it may land on any node.
 */
@ApplicationScoped
public class LeaderRelay {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Membership membership;
    private final Optional<String> internalToken;

    public LeaderRelay(Membership membership, @ConfigProperty(name = "aeon.internal.token") Optional<String> internalToken) {
        this.membership = membership;
        this.internalToken = internalToken;
    }

    /**
     * The local answer on the leader; elsewhere the leader's, for the same method, path and query and body (a 2xx
     * body returned, any other status thrown as the leader's response).
     */
    String onLeader(String method, String pathAndQuery, String body, Supplier<String> local) {
        if (membership.isLeader()) {
            return local.get();
        }
        Member leader = membership.leader().orElseThrow(() -> new WebApplicationException(InternalErrors.response(
                Response.Status.SERVICE_UNAVAILABLE, "no data-plane node serves workflows at the moment; retry")));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + leader.httpAddress() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header(InternalToken.HEADER, internalToken.orElse(""))
                .header("Content-Type", MediaType.APPLICATION_JSON)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 == 2) {
                return answer.body();
            }
            throw new WebApplicationException(Response.status(answer.statusCode()).type(MediaType.APPLICATION_JSON)
                    .entity(answer.body()).build());
        } catch (IOException e) {
            throw new WebApplicationException(InternalErrors.response(Response.Status.SERVICE_UNAVAILABLE,
                    "the leading data-plane node did not answer (" + e.getMessage() + "); retry"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebApplicationException(InternalErrors.response(Response.Status.SERVICE_UNAVAILABLE,
                    "interrupted; retry"));
        }
    }
}
